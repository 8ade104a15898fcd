package agent

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/store"
)

// formNLU understands "want food", "chat", "<cuisine> please", "<n> people".
type formNLU struct{}

func (formNLU) Parse(text string) nlu.Parse {
	p := nlu.Parse{Text: text}
	set := func(intent string) { p.Intent = nlu.Intent{Name: intent, Confidence: 1} }
	fields := strings.Fields(text)
	switch {
	case strings.Contains(text, "food"):
		set("request_restaurant")
	case strings.Contains(text, "chat"):
		set("chitchat")
	case strings.Contains(text, "people"):
		set("inform")
		p.Entities = []nlu.Entity{{Entity: "number", Value: fields[0]}}
	case strings.Contains(text, "please"):
		set("inform")
		p.Entities = []nlu.Entity{{Entity: "cuisine", Value: fields[0]}}
	}
	return p
}

func formbot() *project.Project {
	d := &domain.Domain{StoreEntitiesAsSlots: true,
		Session:  domain.SessionConfig{ExpirationMinutes: 60, CarryOverSlots: true},
		Entities: []domain.Entity{{Name: "cuisine"}, {Name: "number"}},
		Slots: []domain.Slot{
			{Name: "cuisine", Type: domain.SlotText, Mappings: []domain.SlotMapping{
				{Type: domain.MapFromEntity, Entity: "cuisine"}}},
			{Name: "num_people", Type: domain.SlotFloat, MaxValue: 1, Mappings: []domain.SlotMapping{
				{Type: domain.MapFromEntity, Entity: "number"}}},
		},
		Forms: []domain.Form{{Name: "restaurant_form", RequiredSlots: []string{"cuisine", "num_people"}}},
		Responses: map[string][]domain.Response{
			"utter_ask_cuisine": text("What cuisine?"), "utter_ask_num_people": text("How many people?"),
			"utter_chitchat": text("chitchat"), "utter_submit": text("All done!"),
			"utter_slots_values": text("cuisine: {cuisine}, people: {num_people}"),
		},
	}
	for _, in := range []string{"request_restaurant", "chitchat", "inform", "restart"} {
		d.Intents = append(d.Intents, domain.Intent{Name: in, UseAllEntities: true})
	}
	rule := func(name string, cond []project.Step, steps ...project.Step) project.Story {
		return project.Story{Name: name, Kind: project.KindRule, WaitForUserInput: true,
			Condition: cond, Steps: steps}
	}
	loopStep := func(name string) project.Step {
		return project.Step{Kind: project.StepActiveLoop, ActiveLoop: name}
	}
	return &project.Project{Domain: d, Rules: []project.Story{
		rule("chitchat", nil, intentStep("chitchat"), actionStep("utter_chitchat")),
		rule("activate", nil, intentStep("request_restaurant"), actionStep("restaurant_form"),
			loopStep("restaurant_form")),
		rule("submit", []project.Step{loopStep("restaurant_form")}, actionStep("restaurant_form"),
			loopStep(""), actionStep("utter_submit"), actionStep("utter_slots_values")),
	}, Config: project.Config{Policies: []project.Component{{Name: "RulePolicy"},
		{Name: "AugmentedMemoizationPolicy"}}}}
}

func TestFormConversation(t *testing.T) {
	p := formbot()
	st := store.NewMemory()
	a := New(Options{Domain: p.Domain, Policies: train(t, p), Store: st, Parser: formNLU{}})
	for _, step := range []struct{ msg, want string }{
		{"I want food", "What cuisine?"},
		{"let's chat", "chitchat|What cuisine?"},
		{"thai please", "How many people?"},
		{"4 people", "All done!|cuisine: thai, people: 4"},
	} {
		got := strings.Join(say(t, a, "f", step.msg), "|")
		if got != step.want {
			t.Fatalf("%q: got %q, want %q", step.msg, got, step.want)
		}
	}
	events, _ := st.Load(context.Background(), "f")
	var rejected, interrupted int
	for _, e := range events {
		rejected += btoi(e.Type == event.ActionRejected)
		interrupted += btoi(e.Type == event.LoopInterrupted && e.IsInterrupted)
	}
	if rejected != 1 || interrupted != 1 {
		t.Fatalf("rejections %d, interruptions %d; want 1 and 1:\n%v", rejected, interrupted, actions(events))
	}
	tr, _ := a.Tracker(context.Background(), "f")
	if tr.ActiveLoopName() != "" || !slices.Contains(actions(events), "utter_slots_values") {
		t.Fatalf("form still active: %q", tr.ActiveLoopName())
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
