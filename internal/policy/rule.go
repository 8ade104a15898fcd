package policy

import (
	"slices"
	"strings"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/tracker"
)

// Markers of the loop unhappy-path lookup.
const (
	loopWasInterrupted      = "loop_was_interrupted"
	doNotPredictLoopAction  = "do_not_predict_loop_action"
	defaultCoreFallbackConf = 0.3
)

// defaultActionForIntent maps the intents of Rasa's default rules.
var defaultActionForIntent = map[string]string{
	"restart":       ActionRestart,
	"back":          ActionBack,
	"session_start": ActionSessionStart,
}

// Prediction sources of the rule policy besides rule keys.
const (
	sourceDefault = "default_actions"
	sourceLoop    = "loop_happy_path"
)

// ruleEntry is one learned rule: the states it needs and what it predicts.
type ruleEntry struct {
	States []tracker.State `json:"states"`
	Action string          `json:"action"`
	// Sources names the rules (or stories) that gave this entry.
	Sources []ruleSource `json:"sources,omitempty"`
	key     string
	keyLen  int
}

// rulePolicy is Rasa's RulePolicy.
type rulePolicy struct {
	Rules   []*ruleEntry `json:"rules"`
	Unhappy []*ruleEntry `json:"unhappy"`
	// RuleOnlySlots and RuleOnlyLoops appear in rules but never in stories;
	// the story-trained policies do not see them.
	RuleOnlySlots []string `json:"rule_only_slots"`
	RuleOnlyLoops []string `json:"rule_only_loops"`
	// RuleOnlyTurns are rule keys never used to predict a story action;
	// their turns are hidden from the story-trained policies.
	RuleOnlyTurns     []string `json:"rule_only_turns"`
	FallbackThreshold float64  `json:"core_fallback_threshold"`
	FallbackAction    string   `json:"core_fallback_action_name"`
	EnableFallback    bool     `json:"enable_fallback_prediction"`
	Priority          int      `json:"priority"`
	ruleOnlyTurns     map[string]bool
}

// newRulePolicy reads RulePolicy's options.
func newRulePolicy(opts options) *rulePolicy {
	return &rulePolicy{
		FallbackThreshold: opts.float("core_fallback_threshold", defaultCoreFallbackConf),
		FallbackAction:    opts.str("core_fallback_action_name", ActionDefaultFallbck),
		EnableFallback:    opts.boolean("enable_fallback_prediction", true),
		Priority:          priorityRule,
	}
}

// ruleKey cuts the states before the rule's start marker and returns what
// is left with its key, or nil when nothing is left.
func ruleKey(states []tracker.State) ([]tracker.State, string) {
	start := 0
	for i := len(states) - 1; i >= 0; i-- {
		if states[i].PrevAction == RuleSnippetAction {
			start = i + 1
			break
		}
	}
	kept := states[start:]
	if len(kept) == 0 {
		return nil, ""
	}
	return kept, statesKey(kept)
}

// statesKey joins the keys of states.
func statesKey(states []tracker.State) string {
	parts := make([]string, len(states))
	for i, s := range states {
		parts[i] = s.Key()
	}
	return strings.Join(parts, "\x1e")
}

// index prepares the entries after training or loading.
func (p *rulePolicy) index() {
	for _, list := range [][]*ruleEntry{p.Rules, p.Unhappy} {
		for _, r := range list {
			r.key = statesKey(r.States)
			r.keyLen = rasaKeyLen(r.States)
		}
	}
	p.ruleOnlyTurns = map[string]bool{}
	for _, k := range p.RuleOnlyTurns {
		p.ruleOnlyTurns[k] = true
	}
}

// applicable reports whether rule r holds for the conversation states, as
// Rasa's _is_rule_applicable over every turn.
func applicable(r []tracker.State, conv []tracker.State) bool {
	for i := 0; i < len(conv) && i < len(r); i++ {
		rs := r[len(r)-1-i]
		cs := conv[len(conv)-1-i]
		rHas, cHas := rs.HasPrevAction(), cs.HasPrevAction()
		if !rHas && !cHas {
			continue
		}
		if !rHas || !cHas || !stateMatches(rs, cs) {
			return false
		}
	}
	return true
}

// stateMatches reports whether every feature of the rule state is in the
// conversation state (ShouldNotBeSet features must be absent there).
func stateMatches(r, c tracker.State) bool {
	if r.Intent != "" && r.Intent != c.Intent || r.Text != "" && r.Text != c.Text {
		return false
	}
	if len(r.Entities) > 0 && !slices.Equal(r.Entities, c.Entities) {
		return false
	}
	if r.PrevAction != "" && r.PrevAction != c.PrevAction ||
		r.PrevText != "" && r.PrevText != c.PrevText {
		return false
	}
	if !featureMatches(r.ActiveLoop, c.ActiveLoop) {
		return false
	}
	for _, f := range r.Slots {
		v, _ := c.Slot(f.Name)
		if !featureMatches(f.Value, v) {
			return false
		}
	}
	return true
}

// featureMatches compares one feature of a rule state with the
// conversation's ("" means absent).
func featureMatches(rule, conv string) bool {
	if rule == "" {
		return true
	}
	if rule == tracker.ShouldNotBeSet {
		return conv == "" || conv == tracker.ShouldNotBeSet
	}
	return rule == conv
}

// possible returns the entries of list that hold for the states.
func possible(list []*ruleEntry, states []tracker.State) []*ruleEntry {
	var out []*ruleEntry
	for _, r := range list {
		if applicable(r.States, states) {
			out = append(out, r)
		}
	}
	return out
}

// longest picks the most specific rule: the longest key as Rasa measures
// it, ties broken by key for determinism.
func longest(rs []*ruleEntry) *ruleEntry {
	var best *ruleEntry
	for _, r := range rs {
		if best == nil || r.keyLen > best.keyLen || r.keyLen == best.keyLen && r.key > best.key {
			best = r
		}
	}
	return best
}

// rulePrediction is what the rule policy decided and why.
type rulePrediction struct {
	action    string
	source    string
	returning bool
	noUser    bool
}

// decide runs Rasa's RulePolicy._predict: default intents, the loop's
// happy path, then the rules.
func (p *rulePolicy) decide(t *tracker.Tracker, states []tracker.State) rulePrediction {
	if a := defaultAction(t); a != "" {
		return rulePrediction{action: a, source: sourceDefault}
	}
	if a := loopHappyPath(t); a != "" {
		return rulePrediction{action: a, source: sourceLoop, noUser: true}
	}
	return p.fromRules(t, states)
}

func defaultAction(t *tracker.Tracker) string {
	if t.LatestActionName() != ActionListen || t.LatestMessage() == nil {
		return ""
	}
	return defaultActionForIntent[t.LatestIntent()]
}

// loopHappyPath predicts the active loop, or action_listen right after it.
func loopHappyPath(t *tracker.Tracker) string {
	loop := t.ActiveLoopName()
	if loop == "" || t.IsActiveLoopRejected() || !t.HasLatestAction() {
		return ""
	}
	if t.LatestActionName() == loop {
		return ActionListen
	}
	return loop
}

// fromRules finds the action of the most specific applicable rule and
// applies the loop unhappy-path conditions.
func (p *rulePolicy) fromRules(t *tracker.Tracker, states []tracker.State) rulePrediction {
	var pred rulePrediction
	best := longest(possible(p.Rules, states))
	if best != nil {
		pred = rulePrediction{action: best.Action, source: best.key}
	}
	loop := t.ActiveLoopName()
	if loop == "" {
		return pred
	}
	conds := map[string]bool{}
	for _, u := range possible(p.Unhappy, states) {
		conds[u.Action] = true
	}
	if pred.action == ActionListen && best != nil && isGeneralRule(best) {
		if !conds[doNotPredictLoopAction] {
			return rulePrediction{action: loop, source: sourceLoop, returning: true}
		}
		pred = rulePrediction{}
	}
	if conds[loopWasInterrupted] {
		pred = rulePrediction{}
	}
	return pred
}

// predict returns the rule policy's scores for the next action.
func (p *rulePolicy) predict(t *tracker.Tracker, states []tracker.State) policyPrediction {
	d := p.decide(t, states)
	scores := map[string]float64{}
	if p.EnableFallback {
		scores[p.FallbackAction] = p.FallbackThreshold
	}
	pred := policyPrediction{policy: "RulePolicy", priority: p.Priority, scores: scores,
		noUser: d.noUser}
	if d.action == "" {
		return pred
	}
	scores[d.action] = 1
	if d.returning {
		pred.events = []event.Event{{Type: event.LoopInterrupted, IsInterrupted: true}}
	}
	pred.hideRuleTurn = p.ruleOnlyTurns[d.source]
	return pred
}

// isGeneralRule reports whether a rule's last state names no active loop.
func isGeneralRule(r *ruleEntry) bool {
	l := r.States[len(r.States)-1].ActiveLoop
	return l == "" || l == tracker.ShouldNotBeSet
}
