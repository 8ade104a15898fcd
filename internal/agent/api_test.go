package agent

import (
	"context"
	"testing"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/store"
)

func TestAPIOperations(t *testing.T) {
	ctx := context.Background()
	p := moodbot()
	st := store.NewMemory()
	a := New(Options{Domain: p.Domain, Policies: train(t, p), Store: st, Parser: moodNLU})

	bots, tr, err := a.TriggerIntent(ctx, "api", "greet", nil, "rest")
	if err != nil || len(bots) != 1 || bots[0].Text != "Hey! How are you?" {
		t.Fatalf("trigger greet: %v %v", bots, err)
	}
	if tr.LatestActionName() != "action_listen" {
		t.Fatalf("after trigger: %s", tr.LatestActionName())
	}
	bots, _, err = a.ExecuteAction(ctx, "api", "utter_goodbye", "rest", "", 1)
	if err != nil || len(bots) != 1 || bots[0].Text != "Bye" {
		t.Fatalf("execute: %v %v", bots, err)
	}
	tr, err = a.AppendEvents(ctx, "api", []event.Event{{Type: event.Pause}})
	if err != nil || !tr.Paused() {
		t.Fatalf("append pause: %v paused=%v", err, tr != nil && tr.Paused())
	}
	if got := say(t, a, "api", "hello"); len(got) != 0 {
		t.Fatalf("a paused conversation answered %q", got)
	}
	tr, err = a.ReplaceEvents(ctx, "api", []event.Event{{Type: event.Action, Name: "action_listen"}})
	if err != nil || len(tr.Events) != 1 {
		t.Fatalf("replace: %v %+v", err, tr)
	}
	userEv := event.Event{Type: event.User, Text: "hi", Parse: nil}
	p2 := moodNLU.Parse("hi")
	userEv.Parse = &p2
	if _, err := a.AppendEvents(ctx, "api", []event.Event{userEv}); err != nil {
		t.Fatal(err)
	}
	pred, _, err := a.PredictNext(ctx, "api")
	if err != nil || pred.Action != "utter_greet" || pred.Policy != "RulePolicy" {
		t.Fatalf("predict: %+v %v", pred, err)
	}
}
