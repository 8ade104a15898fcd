package policy

import (
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/tracker"
)

// Prediction is the ensemble's choice of the next action.
type Prediction struct {
	Action string
	// Policy is the name of the policy that won ("RulePolicy", ...).
	Policy     string
	Confidence float64
	// Events are applied before the action runs (e.g. loop_interrupted).
	Events []event.Event
	// HideRuleTurn marks an action only rules know; the story-trained
	// policies skip such turns.
	HideRuleTurn bool
}

// Predict returns the next action for the conversation: every policy
// scores the actions and the highest confidence wins, a tie going to the
// higher priority (rules, then memoization, then the learned policy). A
// prediction of the loop's happy path wins over all others. After an
// action rejected itself, no policy may predict it again right away.
func (e *Ensemble) Predict(t *tracker.Tracker) Prediction {
	preds := e.predictions(t)
	if rejected := lastRejected(t); rejected != "" {
		for _, p := range preds {
			delete(p.scores, rejected)
		}
	}
	noUser := false
	for _, p := range preds {
		noUser = noUser || p.noUser
	}
	var best *policyPrediction
	bestConf, bestPrio := -1.0, -1
	var events []event.Event
	for i := range preds {
		p := &preds[i]
		events = append(events, p.events...)
		if p.noUser != noUser {
			continue
		}
		_, conf := p.best()
		if conf > bestConf || conf == bestConf && p.priority > bestPrio {
			best, bestConf, bestPrio = p, conf, p.priority
		}
	}
	if best == nil {
		return Prediction{Action: ActionListen}
	}
	action, conf := best.best()
	return Prediction{Action: action, Policy: best.policy, Confidence: conf,
		Events: events, HideRuleTurn: best.hideRuleTurn}
}

// predictions asks every policy.
func (e *Ensemble) predictions(t *tracker.Tracker) []policyPrediction {
	var out []policyPrediction
	var mlOpts tracker.StateOptions
	full := t.PastStates(tracker.StateOptions{})
	if e.rule != nil {
		out = append(out, e.rule.predict(t, full))
		mlOpts = e.rule.mlStateOptions()
	}
	for _, m := range e.memos {
		out = append(out, m.predict(t, mlOpts))
	}
	if e.learned != nil {
		// Like TED, the learned policy is trained on rules too and sees
		// the whole conversation.
		out = append(out, e.learned.predict(full))
	}
	return out
}

// lastRejected returns the action rejected by the last action-like event,
// or "".
func lastRejected(t *tracker.Tracker) string {
	for i := len(t.Events) - 1; i >= 0; i-- {
		switch ev := t.Events[i]; ev.Type {
		case event.ActionRejected:
			return ev.Name
		case event.Action:
			return ""
		}
	}
	return ""
}

// mlStateOptions is how the story-trained policies see a conversation:
// without rule-only turns, slots and loops.
func (p *rulePolicy) mlStateOptions() tracker.StateOptions {
	opts := tracker.StateOptions{IgnoreRuleOnlyTurns: true,
		RuleOnlySlots: map[string]bool{}, RuleOnlyLoops: map[string]bool{}}
	for _, s := range p.RuleOnlySlots {
		opts.RuleOnlySlots[s] = true
	}
	for _, l := range p.RuleOnlyLoops {
		opts.RuleOnlyLoops[l] = true
	}
	return opts
}
