package agent

import (
	"slices"
	"strings"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/policy"
	"github.com/parley-chat/parley/internal/tracker"
)

// defaultActions are Rasa's default action names, in Rasa's order.
var defaultActions = []string{
	action.Listen, action.Restart, action.SessionStart, action.DefaultFallback,
	action.DeactivateLoop, action.RevertFallback, action.AskAffirmation, action.AskRephrase,
	action.TwoStageFallback, action.UnlikelyIntent, action.Back, action.SendText,
	action.ExtractSlots,
}

// ActionScore is one action with the score a prediction gave it.
type ActionScore struct {
	Action string  `json:"action"`
	Score  float64 `json:"score"`
}

// Forecast is what the policies would do next, with a score for every
// action of the domain, best first (ties by name), as Rasa's /predict.
type Forecast struct {
	Prediction policy.Prediction
	Scores     []ActionScore
}

// Forecast predicts the next action of t without running it or changing t.
// A pending followup action wins with score 1.
func (a *Agent) Forecast(t *tracker.Tracker) Forecast {
	t = t.Copy()
	scores := map[string]float64{}
	var pred policy.Prediction
	switch {
	case t.Followup() != "":
		pred = policy.Prediction{Action: t.Followup(), Policy: policyFollowup, Confidence: 1}
		scores[pred.Action] = 1
	case a.opts.Policies == nil:
		pred = policy.Prediction{Action: action.Listen}
	default:
		pred = a.opts.Policies.Predict(t)
		scores = a.opts.Policies.Scores(t)
	}
	return Forecast{Prediction: pred, Scores: scoreList(ActionNames(a.opts.Domain), scores)}
}

// scoreList gives every name its score (0 when unscored), best first.
func scoreList(names []string, scores map[string]float64) []ActionScore {
	out := make([]ActionScore, 0, len(names))
	seen := map[string]bool{}
	for _, n := range names {
		out = append(out, ActionScore{Action: n, Score: scores[n]})
		seen[n] = true
	}
	for n, s := range scores {
		if !seen[n] {
			out = append(out, ActionScore{Action: n, Score: s})
		}
	}
	slices.SortFunc(out, func(x, y ActionScore) int {
		switch {
		case x.Score > y.Score:
			return -1
		case x.Score < y.Score:
			return 1
		}
		return strings.Compare(x.Action, y.Action)
	})
	return out
}

// ActionNames lists every action a policy may predict in the domain: the
// default actions, then the responses, custom actions and forms, then the
// end-to-end bot texts.
func ActionNames(d *domain.Domain) []string {
	names := slices.Clone(defaultActions)
	seen := map[string]bool{}
	for _, n := range names {
		seen[n] = true
	}
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	var responses []string
	for n := range d.Responses {
		if strings.HasPrefix(n, "utter_") && !strings.Contains(n, "/") {
			responses = append(responses, n)
		}
	}
	slices.Sort(responses)
	for _, n := range responses {
		add(n)
	}
	for _, act := range d.Actions {
		add(act.Name)
	}
	for _, f := range d.Forms {
		add(f.Name)
	}
	for _, text := range d.ActionTexts {
		add(text)
	}
	return names
}

// TemporaryTracker builds a tracker from events that is never stored, as
// Rasa's /model/predict does with its default sender id.
func (a *Agent) TemporaryTracker(id string, events []event.Event) *tracker.Tracker {
	return tracker.FromEvents(id, a.opts.Domain, events)
}
