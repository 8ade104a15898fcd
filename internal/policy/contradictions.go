package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/tracker"
)

// Contradictions trains the project's rules and reports every place where a
// rule predicts another action than a story or another rule takes in the
// same situation, with the file and line of that step. `parley data
// validate` calls it; Train fails with the same list.
func Contradictions(p *project.Project) project.Diagnostics {
	if p == nil || p.Domain == nil {
		return nil
	}
	opts := options(nil)
	for _, c := range p.Config.Policies {
		if c.Name == "RulePolicy" {
			opts = options(c.Options)
		}
	}
	data := newTrainingData(p, TrainOptions{})
	rp := newRulePolicy(opts)
	rp.train(data)
	return rp.analyse(data)
}

// analyse replays every rule and story with the trained rules, lists the
// contradictions and records which rules stories never use (their turns
// are hidden from the story-trained policies).
func (p *rulePolicy) analyse(data *trainingData) project.Diagnostics {
	used := map[string]bool{}
	var ds project.Diagnostics
	for _, tt := range append(slices.Clone(data.rules), data.stories...) {
		ds = append(ds, p.replay(data, tt, used)...)
	}
	p.RuleOnlyTurns = nil
	for _, r := range p.Rules {
		if !used[r.key] {
			p.RuleOnlyTurns = append(p.RuleOnlyTurns, r.key)
		}
	}
	p.index()
	return ds
}

// replay predicts each action of one training tracker with the rules.
func (p *rulePolicy) replay(data *trainingData, tt *trainingTracker,
	used map[string]bool) project.Diagnostics {
	full := tracker.New(tt.name, data.domain)
	full.Events = tt.events
	run := tracker.New(tt.name, data.domain)
	run.IsRuleTracker = tt.isRule
	unpredictable := true
	var ds project.Diagnostics
	for _, e := range full.AppliedEvents() {
		if e.Type != event.Action {
			run.Update(e)
			continue
		}
		if e.Name == RuleSnippetAction {
			unpredictable = true
			continue
		}
		idx := int(e.Timestamp)
		if unpredictable || tt.unpredictable[idx] {
			unpredictable = false
			run.Update(e)
			continue
		}
		gold := e.Name
		if gold == "" {
			gold = e.ActionText
		}
		pred := p.checkPrediction(run, gold)
		if !tt.isRule && pred.action == gold {
			used[pred.source] = true
		}
		if pred.action != "" && pred.action != gold {
			if d, ok := p.contradiction(tt, gold, pred, tt.pos[idx]); ok {
				ds = append(ds, d)
			}
		}
		run.Update(e)
	}
	return ds
}

// checkPrediction predicts as the rule policy would; when it predicts the
// active loop but the story does something else, it predicts again as if
// the loop had rejected itself (the story is on the loop's unhappy path).
func (p *rulePolicy) checkPrediction(run *tracker.Tracker, gold string) rulePrediction {
	pred := p.decide(run, run.PastStates(tracker.StateOptions{}))
	loop := run.ActiveLoopName()
	if loop != "" && pred.action == loop && gold != loop {
		tmp := run.Copy()
		tmp.Update(event.Event{Type: event.ActionRejected, Name: loop})
		pred = p.decide(tmp, tmp.PastStates(tracker.StateOptions{}))
	}
	return pred
}

// contradiction describes one contradiction; false when no rule is to
// blame.
func (p *rulePolicy) contradiction(tt *trainingTracker, gold string, pred rulePrediction,
	pos project.Pos) (project.Diagnostic, bool) {
	var rules []string
	switch pred.source {
	case sourceDefault:
		rules = []string{"the default rule for the intent"}
	case sourceLoop:
		rules = []string{"the active loop"}
	default:
		for _, r := range p.Rules {
			if r.key != pred.source {
				continue
			}
			for _, s := range r.Sources {
				if s.Action != gold && !slices.Contains(rules, s.Rule) {
					rules = append(rules, s.Rule)
				}
			}
		}
	}
	if len(rules) == 0 {
		return project.Diagnostic{}, false
	}
	kind := "story"
	if tt.isRule {
		kind = "rule"
	}
	msg := fmt.Sprintf("the prediction of the action '%s' in %s '%s' is contradicting "+
		"with rule(s) '%s'", gold, kind, tt.name, strings.Join(rules, "', '"))
	if pred.action != p.FallbackAction {
		msg += fmt.Sprintf(" which predicted action '%s'", pred.action)
	}
	return project.Diagnostic{Pos: pos, Severity: project.Error, Message: msg,
		Hint: "make the rule and the " + kind + " agree, or add a condition to the rule " +
			"so that it does not apply here"}, true
}
