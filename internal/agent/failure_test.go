package agent

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/store"
)

// failingRunner fails every custom action with err.
type failingRunner struct{ err error }

func (r failingRunner) Run(context.Context, string, *action.Context) ([]event.Event, error) {
	return []event.Event{{Type: event.Slot, Name: "lost", Value: true}}, r.err
}

// TestFailedCustomAction: the action is logged without its events, the
// user is told, and the bot listens instead of predicting on.
func TestFailedCustomAction(t *testing.T) {
	d := &domain.Domain{
		Intents: []domain.Intent{{Name: "greet", UseAllEntities: true}},
		Actions: []domain.Action{{Name: "action_hello"}},
		Slots:   []domain.Slot{{Name: "lost", Type: domain.SlotBool}},
		Responses: map[string][]domain.Response{
			"utter_after": text("never said")},
	}
	p := &project.Project{Domain: d, Rules: []project.Story{{Name: "r", Kind: project.KindRule,
		Steps: []project.Step{intentStep("greet"), actionStep("action_hello"),
			actionStep("utter_after")}}},
		Config: project.Config{Policies: []project.Component{{Name: "RulePolicy"}}}}
	for _, err := range []error{errors.New("boom"),
		fmt.Errorf("%w: unreachable", action.ErrRunnerFailed)} {
		st := store.NewMemory()
		a := New(Options{Domain: d, Policies: train(t, p), Store: st,
			Runner: failingRunner{err: err}})
		got := say(t, a, "f", "/greet")
		if !slices.Equal(got, []string{action.DefaultFailureText}) {
			t.Errorf("%v: replies %q", err, got)
		}
		evs, _ := st.Load(context.Background(), "f")
		acts := actions(evs)
		if want := []string{"action_session_start", "action_listen", "action_hello",
			"action_listen"}; !slices.Equal(acts, want) {
			t.Errorf("%v: actions %v, want %v", err, acts, want)
		}
		tr, _ := a.Tracker(context.Background(), "f")
		if tr.Slot("lost") != nil {
			t.Errorf("%v: the failed action's events were applied", err)
		}
	}
}
