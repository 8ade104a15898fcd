package agent

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/store"
)

func TestMoodbotTurns(t *testing.T) {
	p := moodbot()
	st := store.NewMemory()
	a := New(Options{Domain: p.Domain, Policies: train(t, p), Store: st, Parser: moodNLU})
	if got := say(t, a, "u1", "hello"); !slices.Equal(got, []string{"Hey! How are you?"}) {
		t.Fatalf("hello: %q", got)
	}
	got := say(t, a, "u1", "I am sad")
	want := []string{"Here is something to cheer you up:", "Did that help you?"}
	if !slices.Equal(got, want) {
		t.Fatalf("I am sad: %q, want %q", got, want)
	}
	if got := say(t, a, "u1", "yes"); !slices.Equal(got, []string{"Great, carry on!"}) {
		t.Fatalf("yes: %q", got)
	}
	events, _ := st.Load(context.Background(), "u1")
	wantActions := []string{"action_session_start", "action_listen", "utter_greet", "action_listen",
		"utter_cheer_up", "utter_did_that_help", "action_listen", "utter_happy", "action_listen"}
	if got := actions(events); !slices.Equal(got, wantActions) {
		t.Fatalf("logged actions %v\nwant %v", got, wantActions)
	}
}

func TestBotEventShape(t *testing.T) {
	p := moodbot()
	a := New(Options{Domain: p.Domain, Policies: train(t, p), Parser: moodNLU})
	evs, err := a.HandleMessage(context.Background(), UserMessage{ConversationID: "x", Text: "/greet"})
	if err != nil || len(evs) != 1 {
		t.Fatalf("%v %v", evs, err)
	}
	e := evs[0]
	if e.Metadata["utter_action"] != "utter_greet" || len(e.Data.Buttons) != 2 ||
		e.Data.Buttons[0]["payload"] != "/mood_great" {
		t.Fatalf("bot event %+v data %+v", e, e.Data)
	}
}

func TestRestartAndPayloadIntents(t *testing.T) {
	p := moodbot()
	p.Domain.Responses["utter_restart"] = text("restarted")
	st := store.NewMemory()
	a := New(Options{Domain: p.Domain, Policies: train(t, p), Store: st, Parser: moodNLU})
	say(t, a, "r", "hello")
	if got := say(t, a, "r", "/restart"); !slices.Equal(got, []string{"restarted"}) {
		t.Fatalf("restart replies %q", got)
	}
	events, _ := st.Load(context.Background(), "r")
	tail := actions(events)[len(actions(events))-3:]
	want := []string{"action_restart", "action_session_start", "action_listen"}
	if !slices.Equal(tail, want) {
		t.Fatalf("after /restart: %v, want %v", tail, want)
	}
	if got := say(t, a, "r", "hi"); !slices.Equal(got, []string{"Hey! How are you?"}) {
		t.Fatalf("after restart: %q", got)
	}
}

// loopingBot has a rule set that never listens: two actions follow each
// other forever.
func loopingBot() *project.Project {
	p := moodbot()
	ping := project.Story{Name: "ping", Kind: project.KindRule, Steps: []project.Step{
		intentStep("greet"), actionStep("utter_greet"), actionStep("utter_happy")}}
	pong := project.Story{Name: "pong", Kind: project.KindRule, Steps: []project.Step{
		actionStep("utter_happy"), actionStep("utter_greet"), actionStep("utter_happy")}}
	ping.WaitForUserInput, pong.WaitForUserInput = false, false
	p.Rules = []project.Story{ping, pong,
		{Name: "bye", Kind: project.KindRule, WaitForUserInput: true,
			Steps: []project.Step{intentStep("goodbye"), actionStep("utter_goodbye")}}}
	p.Stories = nil
	p.Config.Policies = []project.Component{{Name: "RulePolicy"}}
	return p
}

func TestPredictionLimit(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	p := loopingBot()
	st := store.NewMemory()
	a := New(Options{Domain: p.Domain, Policies: train(t, p), Store: st, Parser: moodNLU,
		Logger: log})
	got := say(t, a, "loop", "hello")
	if len(got) != 10 {
		t.Fatalf("got %d replies, want 10 (the limit): %q", len(got), got)
	}
	if !strings.Contains(logs.String(), "circuit breaker") ||
		!strings.Contains(logs.String(), "conversation=loop") {
		t.Fatalf("no warning naming the conversation: %s", logs.String())
	}
	if got := say(t, a, "loop", "bye"); !slices.Equal(got, []string{"Bye"}) {
		t.Fatalf("next message: %q", got)
	}
}

func TestSessions(t *testing.T) {
	start := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		minutes  float64
		pauses   []time.Duration
		sessions int
	}{
		{"expiry 0 never expires", 0, []time.Duration{time.Hour, 48 * time.Hour}, 1},
		{"activity every 30s keeps the session", 1,
			[]time.Duration{30 * time.Second, 30 * time.Second, 30 * time.Second}, 1},
		{"a 2-minute pause starts a new session", 1, []time.Duration{30 * time.Second, 2 * time.Minute}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := moodbot()
			p.Domain.Session = domain.SessionConfig{ExpirationMinutes: c.minutes, CarryOverSlots: true}
			clock := &fakeClock{now: start}
			st := store.NewMemory()
			a := New(Options{Domain: p.Domain, Policies: train(t, p), Store: st, Parser: moodNLU,
				Clock: clock.Now})
			say(t, a, "s", "hello")
			for _, d := range c.pauses {
				clock.Advance(d)
				if got := say(t, a, "s", "hello"); len(got) != 1 {
					t.Fatalf("reply %q", got)
				}
			}
			events, _ := st.Load(context.Background(), "s")
			n := 0
			for _, e := range events {
				if e.Type == event.SessionStarted {
					n++
				}
			}
			if n != c.sessions {
				t.Fatalf("%d sessions, want %d", n, c.sessions)
			}
		})
	}
}

func TestSessionCarriesSlotsAndMetadata(t *testing.T) {
	p := moodbot()
	p.Domain.Slots = []domain.Slot{{Name: "name", Type: domain.SlotText}}
	p.Domain.Session = domain.SessionConfig{ExpirationMinutes: 1, CarryOverSlots: true}
	clock := &fakeClock{now: time.Unix(1700000000, 0)}
	st := store.NewMemory()
	a := New(Options{Domain: p.Domain, Policies: train(t, p), Store: st, Parser: moodNLU,
		Clock: clock.Now})
	say(t, a, "m", "hello")
	_ = st.Append(context.Background(), "m", []event.Event{{Type: event.Slot, Name: "name",
		Value: "Ann", Timestamp: 1700000001}})
	clock.Advance(5 * time.Minute)
	_, err := a.HandleMessage(context.Background(), UserMessage{ConversationID: "m", Text: "hi",
		Metadata: map[string]any{"page": "home"}})
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := a.Tracker(context.Background(), "m")
	if tr.Slot("name") != "Ann" {
		t.Fatalf("slot not carried over: %v", tr.Slot("name"))
	}
	meta, _ := tr.Slot(domain.SessionStartedMetadata).(map[string]any)
	if meta["page"] != "home" {
		t.Fatalf("session metadata %v", tr.Slot(domain.SessionStartedMetadata))
	}
}

func TestConcurrentConversations(t *testing.T) {
	p := moodbot()
	st := store.NewMemory()
	a := New(Options{Domain: p.Domain, Policies: train(t, p), Store: st, Parser: moodNLU})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := []string{"a", "b"}[i%2]
			_, _ = a.HandleMessage(context.Background(), UserMessage{ConversationID: id, Text: "hello"})
		}()
	}
	wg.Wait()
	for _, id := range []string{"a", "b"} {
		events, _ := st.Load(context.Background(), id)
		if n := strings.Count(strings.Join(actions(events), " "), "utter_greet"); n != 4 {
			t.Fatalf("%s: %d greetings, want 4 (turns interleaved?)", id, n)
		}
	}
}

func TestCustomActionWithoutRunner(t *testing.T) {
	p := moodbot()
	p.Domain.Actions = []domain.Action{{Name: "action_hello_world"}}
	p.Rules = append(p.Rules, project.Story{Name: "custom", Kind: project.KindRule,
		WaitForUserInput: true, Steps: []project.Step{intentStep("goodbye"),
			actionStep("action_hello_world"), actionStep("utter_goodbye")}})
	p.Rules = slices.DeleteFunc(p.Rules, func(s project.Story) bool { return s.Name == "goodbye" })
	var logs bytes.Buffer
	a := New(Options{Domain: p.Domain, Policies: train(t, p), Parser: moodNLU,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if got := say(t, a, "c", "bye"); !slices.Equal(got, []string{"Bye"}) {
		t.Fatalf("replies %q", got)
	}
	if !strings.Contains(logs.String(), "action=action_hello_world") {
		t.Fatalf("no warning naming the action: %s", logs.String())
	}
}
