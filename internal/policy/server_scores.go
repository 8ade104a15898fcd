package policy

import (
	"maps"

	"github.com/parley-chat/parley/internal/tracker"
)

// Scores returns the confidence the winning policy gives each action it
// scored for the conversation's next action, as Rasa's /predict lists them;
// actions it did not score are left out (their score is 0). After an action
// rejected itself, its score is dropped as Predict drops it.
func (e *Ensemble) Scores(t *tracker.Tracker) map[string]float64 {
	best := e.Predict(t)
	for _, p := range e.predictions(t) {
		if p.policy != best.Policy {
			continue
		}
		scores := maps.Clone(p.scores)
		if rejected := lastRejected(t); rejected != "" {
			delete(scores, rejected)
		}
		return scores
	}
	return map[string]float64{best.Action: best.Confidence}
}
