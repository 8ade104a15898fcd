package policy

import (
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/tracker"
)

const defaultMaxHistory = 5

// memoPolicy is Rasa's MemoizationPolicy, or AugmentedMemoizationPolicy
// when Augmented is set: it predicts with confidence 1 the action a story
// took in exactly the same last MaxHistory states.
type memoPolicy struct {
	Name       string            `json:"name"`
	MaxHistory int               `json:"max_history"`
	Augmented  bool              `json:"augmented"`
	Priority   int               `json:"priority"`
	Lookup     map[string]string `json:"lookup"`
}

func newMemoPolicy(name string, opts options) *memoPolicy {
	return &memoPolicy{Name: name, MaxHistory: opts.integer("max_history", defaultMaxHistory),
		Augmented: name == "AugmentedMemoizationPolicy", Priority: priorityMemo,
		Lookup: map[string]string{}}
}

// window returns the last MaxHistory states (all of them for 0 or less).
func (m *memoPolicy) window(states []tracker.State) []tracker.State {
	if m.MaxHistory > 0 && len(states) > m.MaxHistory {
		return states[len(states)-m.MaxHistory:]
	}
	return states
}

// train memorises every story example; a state window seen with two
// different actions is ambiguous and forgotten.
func (m *memoPolicy) train(examples []example) {
	ambiguous := map[string]bool{}
	for _, ex := range examples {
		w := m.window(ex.states)
		if len(w) == 0 {
			continue
		}
		key := statesKey(w)
		if ambiguous[key] {
			continue
		}
		if prev, ok := m.Lookup[key]; ok && prev != ex.action {
			ambiguous[key] = true
			delete(m.Lookup, key)
			continue
		}
		m.Lookup[key] = ex.action
	}
}

func (m *memoPolicy) recall(states []tracker.State) string {
	if len(states) == 0 {
		return ""
	}
	return m.Lookup[statesKey(m.window(states))]
}

// predict looks the conversation up; the augmented variant then forgets
// the oldest turns one at a time and tries again.
func (m *memoPolicy) predict(t *tracker.Tracker, opts tracker.StateOptions) policyPrediction {
	pred := policyPrediction{policy: m.Name, priority: m.Priority, scores: map[string]float64{}}
	states := t.PastStates(opts)
	action := m.recall(states)
	if action == "" && m.Augmented {
		action = m.recallTruncated(t, m.window(states), opts)
	}
	if action != "" {
		pred.scores[action] = 1
	}
	return pred
}

// recallTruncated is Rasa's "DeLorean" recall: rebuild the tracker from a
// later action on, with slots set before it forgotten, until a window is
// found in the lookup.
func (m *memoPolicy) recallTruncated(t *tracker.Tracker, old []tracker.State,
	opts tracker.StateOptions) string {
	events := trimByMaxHistory(t.AppliedEvents(), m.MaxHistory)
	events = fromActionOn(events, false)
	for events != nil {
		tt := tracker.New(t.SenderID, t.Domain())
		tt.Events = events
		states := m.window(tt.PastStates(opts))
		if statesKey(states) != statesKey(old) {
			if a := m.recall(states); a != "" {
				return a
			}
			old = states
		}
		events = fromActionOn(events, true)
	}
	return ""
}

// trimByMaxHistory keeps the events from the action_listen before the
// last maxHistory actions on.
func trimByMaxHistory(events []event.Event, maxHistory int) []event.Event {
	if maxHistory <= 0 {
		return events
	}
	actions := 0
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		if e.Type != event.Action {
			continue
		}
		actions++
		if actions > maxHistory && e.Name == ActionListen {
			return events[i:]
		}
	}
	return events
}

// fromActionOn returns the events from the first action on, or from the
// second when again is set; nil when there is no such action.
func fromActionOn(events []event.Event, again bool) []event.Event {
	seen := 0
	want := 1
	if again {
		want = 2
	}
	for i, e := range events {
		if e.Type == event.Action {
			seen++
			if seen == want {
				return events[i:]
			}
		}
	}
	return nil
}
