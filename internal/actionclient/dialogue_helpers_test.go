package actionclient

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/policy"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/store"
)

// These helpers run custom actions through the whole turn: an agent with
// rules that predict them, a Runner, and a tracker store to inspect.

// shopDomain is a small bot with one custom action (greet → action_hello)
// and a form whose slot validate_pizza_form checks.
func shopDomain() *domain.Domain {
	d := &domain.Domain{
		Entities: []domain.Entity{{Name: "name"}, {Name: "pizza_size"}},
		Slots: []domain.Slot{
			{Name: "name", Type: domain.SlotText, Mappings: []domain.SlotMapping{
				{Type: domain.MapFromEntity, Entity: "name"}}},
			{Name: "greeted", Type: domain.SlotBool},
			{Name: "domain_received", Type: domain.SlotBool},
			{Name: "pizza_size", Type: domain.SlotText, Mappings: []domain.SlotMapping{
				{Type: domain.MapFromEntity, Entity: "pizza_size",
					Conditions: []domain.MappingCondition{{ActiveLoop: "pizza_form"}}}}},
			{Name: domain.RequestedSlot, Type: domain.SlotText},
		},
		Responses: map[string][]domain.Response{
			"utter_greet": {{Text: "Hello {name}!",
				Buttons: []domain.Button{{Title: "Hi", Payload: "/greet"}}}},
			"utter_ask_pizza_size": {{Text: "Which size?"}},
			"utter_done":           {{Text: "A {pizza_size} pizza is on its way."}},
		},
		Actions: []domain.Action{{Name: "action_hello"}, {Name: "validate_pizza_form"}},
		Forms:   []domain.Form{{Name: "pizza_form", RequiredSlots: []string{"pizza_size"}}},
		Session: domain.SessionConfig{ExpirationMinutes: 60},
	}
	for _, in := range []string{"greet", "order", "inform", "stop"} {
		d.Intents = append(d.Intents, domain.Intent{Name: in, UseAllEntities: true})
	}
	return d
}

// shopPolicies trains the rules of shopDomain.
func shopPolicies(t *testing.T, d *domain.Domain) *policy.Ensemble {
	t.Helper()
	step := func(kind project.StepKind, name string) project.Step {
		switch kind {
		case project.StepIntent:
			return project.Step{Kind: kind, Intent: name}
		case project.StepActiveLoop:
			return project.Step{Kind: kind, ActiveLoop: name}
		}
		return project.Step{Kind: kind, Action: name}
	}
	rule := func(name string, cond []project.Step, steps ...project.Step) project.Story {
		return project.Story{Name: name, Kind: project.KindRule, WaitForUserInput: true,
			Condition: cond, Steps: steps}
	}
	in, act, loop := project.StepIntent, project.StepAction, project.StepActiveLoop
	p := &project.Project{Domain: d, Rules: []project.Story{
		rule("hello", nil, step(in, "greet"), step(act, "action_hello")),
		rule("listen after a greeting", nil, step(act, "utter_greet")),
		rule("order", nil, step(in, "order"), step(act, "pizza_form"), step(loop, "pizza_form")),
		rule("done", []project.Step{step(loop, "pizza_form")}, step(act, "pizza_form"),
			step(loop, ""), step(act, "utter_done")),
	}, Config: project.Config{Policies: []project.Component{{Name: "RulePolicy"}}}}
	e, err := policy.Train(context.Background(), p, policy.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// shop is an agent of shopDomain with its store.
type shop struct {
	agent  *agent.Agent
	store  store.TrackerStore
	runner *Runner
}

// newShop returns an agent that runs custom actions with r; messages are
// "/intent{...}" payloads. The clock is fixed so that requests repeat.
func newShop(t *testing.T, d *domain.Domain, r *Runner) *shop {
	t.Helper()
	st := store.NewMemory()
	clock := time.Unix(1700000000, 0)
	a := agent.New(agent.Options{Domain: d, Policies: shopPolicies(t, d), Store: st,
		Runner: r, Clock: func() time.Time { return clock }})
	return &shop{agent: a, store: st, runner: r}
}

// say sends a message and returns the texts of the bot's replies.
func (s *shop) say(t *testing.T, id, text string) []string {
	t.Helper()
	evs, err := s.agent.HandleMessage(context.Background(), agent.UserMessage{
		ConversationID: id, Text: text, InputChannel: "rest", MessageID: "m-" + text})
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	var out []string
	for _, e := range evs {
		out = append(out, e.Text)
	}
	return out
}

// eventsAfterUser summarises the events logged after the latest user
// message.
func (s *shop) eventsAfterUser(t *testing.T, id string) []string {
	t.Helper()
	evs, err := s.store.Load(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	last := 0
	for i, e := range evs {
		if e.Type == event.User {
			last = i
		}
	}
	var out []string
	for _, e := range evs[last+1:] {
		out = append(out, summary(e))
	}
	return out
}

// summary writes an event as one short line for comparisons.
func summary(e event.Event) string {
	switch e.Type {
	case event.Bot:
		s := "bot " + e.Text
		if e.Data != nil {
			for _, b := range e.Data.Buttons {
				s += fmt.Sprintf(" [%v]", b["title"])
			}
		}
		if f, ok := e.Metadata["failed_action"]; ok {
			s += fmt.Sprintf(" (failed %v)", f)
		}
		return s
	case event.Slot:
		return fmt.Sprintf("slot %s=%v", e.Name, e.Value)
	case event.ActiveLoop:
		return "active_loop " + e.Name
	}
	return strings.TrimSpace(e.Type + " " + e.Name)
}
