package agent

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/testenv"
)

// unsureNLU understands the rules bot's greeting and its question about
// possibilities; anything else is what FallbackClassifier makes of an
// unsure message: nlu_fallback first, then the classifier's own ranking.
type unsureNLU struct{}

func (unsureNLU) Parse(text string) nlu.Parse {
	if strings.HasPrefix(text, "/") {
		return ParsePayload(text)
	}
	lower := strings.ToLower(text)
	sure := func(name string) nlu.Parse {
		in := nlu.Intent{Name: name, Confidence: 0.8}
		return nlu.Parse{Text: text, Intent: in, IntentRanking: []nlu.Intent{in}}
	}
	switch {
	case strings.Contains(lower, "hello"):
		return sure("greet")
	case strings.Contains(lower, "what can you do"):
		return sure("ask_possibilities")
	}
	fb := nlu.Intent{Name: "nlu_fallback", Confidence: 0.5}
	return nlu.Parse{Text: text, Intent: fb, IntentRanking: []nlu.Intent{fb,
		{Name: "ask_possibilities", Confidence: 0.35}, {Name: "greet", Confidence: 0.1}}}
}

// rulesBot loads Rasa's rules example. Its fallback rule names the loop
// "two_stage_fallback", a name from before Rasa 2.0 was released, which
// the loader migrates to action_two_stage_fallback. The domain has no
// utter_ask_rephrase (Rasa then asks nothing); the test adds one.
func rulesBot(t *testing.T) *Agent {
	t.Helper()
	p, err := project.Load(testenv.Shared(t, "data/bots/rules"), project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	migrated := 0
	for _, r := range p.Rules {
		for _, s := range r.Steps {
			if s.Action == action.TwoStageFallback || s.ActiveLoop == action.TwoStageFallback {
				migrated++
			}
		}
	}
	if migrated != 2 {
		t.Fatalf("%d steps of the fallback rule name %s, want 2", migrated,
			action.TwoStageFallback)
	}
	p.Domain.Responses["utter_ask_rephrase"] = text("Could you say that another way?")
	return New(Options{Domain: p.Domain, Policies: train(t, p), Parser: unsureNLU{},
		Store: store.NewMemory()})
}

// turn sends a message and returns the bot events.
func turnEvents(t *testing.T, a *Agent, id, msg string) []event.Event {
	t.Helper()
	evs, err := a.HandleMessage(context.Background(), UserMessage{ConversationID: id,
		Text: msg, InputChannel: "rest"})
	if err != nil {
		t.Fatalf("%q: %v", msg, err)
	}
	return evs
}

func texts(evs []event.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Text)
	}
	return out
}

// askedAffirmation checks the affirmation question and its buttons.
func askedAffirmation(t *testing.T, evs []event.Event, intent string) {
	t.Helper()
	if len(evs) != 1 || evs[0].Text != "Did you mean '"+intent+"'?" {
		t.Fatalf("want the affirmation question for %s, got %q", intent, texts(evs))
	}
	b := evs[0].Data.Buttons
	if len(b) != 2 || b[0]["title"] != "Yes" || b[0]["payload"] != "/"+intent ||
		b[1]["title"] != "No" || b[1]["payload"] != "/out_of_scope" {
		t.Fatalf("buttons %v", b)
	}
	if evs[0].Metadata["utter_action"] != action.AskAffirmation {
		t.Fatalf("metadata %v", evs[0].Metadata)
	}
}

func TestTwoStageFallbackAffirmed(t *testing.T) {
	a := rulesBot(t)
	ctx := context.Background()
	if got := texts(turnEvents(t, a, "c", "hello")); !slices.Equal(got, []string{"utter_greet"}) {
		t.Fatalf("hello: %q", got)
	}
	askedAffirmation(t, turnEvents(t, a, "c", "mumble mumble"), "ask_possibilities")
	tr, _ := a.Tracker(ctx, "c")
	if tr.ActiveLoopName() != action.TwoStageFallback {
		t.Fatalf("active loop %q after the question", tr.ActiveLoopName())
	}
	got := texts(turnEvents(t, a, "c", "/ask_possibilities"))
	if !slices.Equal(got, []string{"utter_list_possibilities"}) {
		t.Fatalf("after Yes: %q", got)
	}
	tr, _ = a.Tracker(ctx, "c")
	if tr.ActiveLoopName() != "" {
		t.Fatalf("loop still active: %q", tr.ActiveLoopName())
	}
	// The turn ends the loop, takes back the fallback's turns and logs the
	// answer again as the message, sure of it.
	tail := actionsAndMarks(tr.Events)
	want := []string{"user:ask_possibilities", action.TwoStageFallback, "active_loop:",
		"rewind", action.Listen, "user:ask_possibilities", "utter_list_possibilities",
		action.Listen}
	if !slices.Equal(tail[len(tail)-len(want):], want) {
		t.Fatalf("events end with\n%v\nwant\n%v", tail, want)
	}
	last := tr.LatestMessage()
	if last.Parse.Intent.Confidence != 1 || last.Text != "/ask_possibilities" {
		t.Fatalf("clarified message %+v", last.Parse.Intent)
	}
	for _, e := range tr.AppliedEvents() {
		if e.Type == event.User && e.Parse.Intent.Name == "nlu_fallback" ||
			e.Type == event.Bot && strings.HasPrefix(e.Text, "Did you mean") {
			t.Fatalf("fallback turn still applied: %+v", e)
		}
	}
}

func TestTwoStageFallbackRephrased(t *testing.T) {
	a := rulesBot(t)
	turnEvents(t, a, "r", "hello")
	askedAffirmation(t, turnEvents(t, a, "r", "mumble"), "ask_possibilities")
	got := texts(turnEvents(t, a, "r", "/out_of_scope"))
	if !slices.Equal(got, []string{"Could you say that another way?"}) {
		t.Fatalf("after No: %q", got)
	}
	got = texts(turnEvents(t, a, "r", "so what can you do"))
	if !slices.Equal(got, []string{"utter_list_possibilities"}) {
		t.Fatalf("after rephrasing: %q", got)
	}
	tr, _ := a.Tracker(context.Background(), "r")
	last := tr.LatestMessage()
	if last.Text != "so what can you do" || last.Parse.Intent.Confidence != 1 ||
		tr.ActiveLoopName() != "" {
		t.Fatalf("latest message %q %+v, loop %q", last.Text, last.Parse.Intent,
			tr.ActiveLoopName())
	}
}

func TestTwoStageFallbackGivesUp(t *testing.T) {
	a := rulesBot(t)
	turnEvents(t, a, "g", "hello")
	askedAffirmation(t, turnEvents(t, a, "g", "mumble"), "ask_possibilities")
	turnEvents(t, a, "g", "/out_of_scope")
	// An unsure rephrasing is asked about again; a second No gives up.
	askedAffirmation(t, turnEvents(t, a, "g", "mumble again"), "ask_possibilities")
	got := texts(turnEvents(t, a, "g", "/out_of_scope"))
	if !slices.Equal(got, []string{"I give up."}) {
		t.Fatalf("after the second No: %q", got)
	}
	tr, _ := a.Tracker(context.Background(), "g")
	if tr.ActiveLoopName() != "" || tr.LatestIntent() != "greet" ||
		tr.LatestActionName() != action.Listen {
		t.Fatalf("after giving up: loop %q, intent %q, action %q", tr.ActiveLoopName(),
			tr.LatestIntent(), tr.LatestActionName())
	}
	// The conversation goes on as if the fallback had not happened.
	got = texts(turnEvents(t, a, "g", "what can you do"))
	if !slices.Equal(got, []string{"utter_list_possibilities"}) {
		t.Fatalf("next message: %q", got)
	}
}

func TestTwoStageFallbackTwoUnsureInARow(t *testing.T) {
	a := rulesBot(t)
	turnEvents(t, a, "u", "hello")
	askedAffirmation(t, turnEvents(t, a, "u", "mumble"), "ask_possibilities")
	got := texts(turnEvents(t, a, "u", "grumble"))
	if !slices.Equal(got, []string{"I give up."}) {
		t.Fatalf("second unsure message: %q", got)
	}
	// A new unsure message starts a new fallback, not a give-up: the
	// rewind of the last one separates them.
	askedAffirmation(t, turnEvents(t, a, "u", "mumble"), "ask_possibilities")
}

// actionsAndMarks lists the actions of events with the user intents,
// loop changes and rewinds between them.
func actionsAndMarks(events []event.Event) []string {
	var out []string
	for _, e := range events {
		switch e.Type {
		case event.Action:
			out = append(out, e.Name)
		case event.User:
			out = append(out, "user:"+e.Parse.Intent.Name)
		case event.ActiveLoop:
			out = append(out, "active_loop:"+e.Name)
		case event.Rewind:
			out = append(out, "rewind")
		}
	}
	return out
}

// TestTwoStageFallbackGivesUpAtSessionStart gives up on the session's
// first message: the rewind leaves no applied action, and the bot listens
// (a rewind resets the followup action to action_listen) instead of
// predicting the core fallback on an empty state.
func TestTwoStageFallbackGivesUpAtSessionStart(t *testing.T) {
	a := rulesBot(t)
	askedAffirmation(t, turnEvents(t, a, "s", "mumble"), "ask_possibilities")
	got := texts(turnEvents(t, a, "s", "grumble"))
	if !slices.Equal(got, []string{"I give up."}) {
		t.Fatalf("second unsure message: %q", got)
	}
	tr, _ := a.Tracker(context.Background(), "s")
	marks := actionsAndMarks(tr.Events)
	want := []string{action.TwoStageFallback, "active_loop:", "rewind", action.Listen}
	if !slices.Equal(marks[len(marks)-len(want):], want) {
		t.Fatalf("events end with %v, want %v", marks, want)
	}
}
