package agent

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
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

// TestTriggerIntentIsExternal checks the user event of /trigger_intent as
// Rasa logs it: text "EXTERNAL: <intent>", metadata is_external true, the
// given entities, and the conversation's latest input channel.
func TestTriggerIntentIsExternal(t *testing.T) {
	ctx := context.Background()
	p := moodbot()
	st := store.NewMemory()
	a := New(Options{Domain: p.Domain, Policies: train(t, p), Store: st, Parser: moodNLU})
	say(t, a, "ext", "hello")
	ents := []nlu.Entity{{Entity: "name", Value: "John"}}
	if _, _, err := a.TriggerIntent(ctx, "ext", "mood_great", ents, "callback"); err != nil {
		t.Fatal(err)
	}
	events, _ := st.Load(ctx, "ext")
	var user *event.Event
	for i := range events {
		if events[i].Type == event.User {
			user = &events[i]
		}
	}
	if user.Text != "EXTERNAL: mood_great" || user.Metadata["is_external"] != true ||
		user.InputChannel != "rest" || user.Parse.Intent.Name != "mood_great" ||
		len(user.Parse.Entities) != 1 || user.Parse.Entities[0].Value != "John" {
		t.Fatalf("external user event %+v, parse %+v", *user, *user.Parse)
	}
	data, err := json.Marshal(*user)
	if err != nil || !strings.Contains(string(data), `"metadata":{"is_external":true}`) {
		t.Fatalf("JSON %s %v", data, err)
	}
}
