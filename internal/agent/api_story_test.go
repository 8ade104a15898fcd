package agent

import (
	"context"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/tracker"
)

func TestTestStories(t *testing.T) {
	p := moodNLU.Parse("I am in Berlin")
	p.Intent = nlu.Intent{Name: "inform", Confidence: 1}
	p.Entities = []nlu.Entity{{Entity: "city", Value: "Berlin", Start: 8, End: 14}}
	events := []event.Event{
		{Type: event.Action, Name: "action_session_start"},
		{Type: event.SessionStarted},
		{Type: event.Action, Name: "action_listen"},
		{Type: event.User, Text: "I am in Berlin", Parse: &p},
		{Type: event.Slot, Name: "city", Value: "Berlin"},
		{Type: event.Action, Name: "utter_city"},
		{Type: event.ActiveLoop, Name: "city_form"},
		{Type: event.ActiveLoop},
		{Type: event.Action, ActionText: "Bye: see you"},
	}
	got := TestStories([]*tracker.Tracker{tracker.FromEvents("u:1", nil, events)})
	want := `version: "3.1"
stories:
- story: u:1
  steps:
  - intent: inform
    user: |-
      I am in [Berlin](city)
  - slot_was_set:
    - city: "Berlin"
  - action: utter_city
  - active_loop: city_form
  - active_loop: null
  - bot: "Bye: see you"
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestAnnotate(t *testing.T) {
	ents := []nlu.Entity{{Entity: "city", Value: "Berlin", Start: 4, End: 10, Role: "to"},
		{Entity: "n", Value: 2.0, Start: 11, End: 14}}
	got := annotate("für Berlin two", ents)
	want := `für [Berlin]{"entity":"city","role":"to","value":"Berlin"} [two]{"entity":"n","value":2}`
	if got != want {
		t.Errorf("got %s", got)
	}
}

func TestSessionsAndUntil(t *testing.T) {
	ev := func(typ, name string, ts float64) event.Event {
		return event.Event{Type: typ, Name: name, Timestamp: ts}
	}
	tr := tracker.FromEvents("s", nil, []event.Event{
		ev(event.Action, "action_session_start", 1), ev(event.SessionStarted, "", 1),
		ev(event.Action, "utter_a", 2),
		ev(event.Action, "action_session_start", 3), ev(event.SessionStarted, "", 3),
		ev(event.Action, "utter_b", 4),
	})
	sessions := Sessions(tr)
	if len(sessions) != 2 || len(sessions[0].Events) != 3 || len(sessions[1].Events) != 3 {
		t.Fatalf("sessions: %d", len(sessions))
	}
	if got := Until(tr, 2.5); len(got.Events) != 3 || got.LatestActionName() != "utter_a" {
		t.Errorf("until 2.5: %d events", len(got.Events))
	}
	if got := TestStories(Sessions(tr)); !strings.Contains(got, "- story: s, story 2") {
		t.Errorf("two sessions:\n%s", got)
	}
}

func TestLogMessageAndAppend(t *testing.T) {
	ctx := context.Background()
	p := moodbot()
	a := New(Options{Domain: p.Domain, Policies: train(t, p), Store: store.NewMemory(),
		Parser: moodNLU})
	tr, err := a.LogMessage(ctx, UserMessage{ConversationID: "m", Text: "hello"}, nil)
	if err != nil || tr.LatestIntent() != "greet" || tr.LatestActionName() != "action_listen" {
		t.Fatalf("log message: %v %v", err, tr)
	}
	f := a.Forecast(tr)
	if f.Prediction.Action != "utter_greet" || f.Scores[0].Action != "utter_greet" ||
		len(f.Scores) != len(ActionNames(p.Domain)) {
		t.Errorf("forecast: %+v", f)
	}
	fresh, err := a.AppendEvents(ctx, "n", []event.Event{{Type: event.Pause}})
	if err != nil || len(fresh.Events) != 4 || fresh.Events[0].Name != "action_session_start" {
		t.Errorf("append to a new conversation: %v %+v", err, fresh.Events)
	}
	if ok, _ := a.Exists(ctx, "nobody"); ok {
		t.Error("an unknown conversation exists")
	}
	st, err := a.SessionTracker(ctx, "nobody")
	if err != nil || len(st.Events) != 3 {
		t.Errorf("session tracker: %v %d", err, len(st.Events))
	}
	if ok, _ := a.Exists(ctx, "nobody"); ok {
		t.Error("reading a tracker stored its session start")
	}
}
