package action

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/tracker"
)

// formDomain is a small restaurant form.
func formDomain() *domain.Domain {
	inLoop := []domain.MappingCondition{{ActiveLoop: "restaurant_form", RequestedSlot: "outdoor"}}
	return &domain.Domain{
		Intents: []domain.Intent{{Name: "request", UseAllEntities: true}, {Name: "inform", UseAllEntities: true},
			{Name: "affirm", UseAllEntities: true}, {Name: "deny", UseAllEntities: true},
			{Name: "chitchat", UseAllEntities: true}},
		Entities: []domain.Entity{{Name: "cuisine", InfluenceConversation: true},
			{Name: "number", InfluenceConversation: true}},
		Slots: []domain.Slot{
			{Name: "cuisine", Type: domain.SlotText, Mappings: []domain.SlotMapping{
				{Type: domain.MapFromEntity, Entity: "cuisine"}}},
			{Name: "people", Type: domain.SlotFloat, MaxValue: 1, Mappings: []domain.SlotMapping{
				{Type: domain.MapFromEntity, Entity: "number", Intent: []string{"inform", "request"}}}},
			{Name: "outdoor", Type: domain.SlotBool, Mappings: []domain.SlotMapping{
				{Type: domain.MapFromIntent, Intent: []string{"affirm"}, Value: true, Conditions: inLoop},
				{Type: domain.MapFromIntent, Intent: []string{"deny"}, Value: false, Conditions: inLoop}}},
			{Name: domain.RequestedSlot, Type: domain.SlotText},
		},
		Forms: []domain.Form{{Name: "restaurant_form", RequiredSlots: []string{"cuisine", "people", "outdoor"},
			IgnoredIntents: []string{"chitchat"}}},
		Responses: map[string][]domain.Response{
			"utter_ask_cuisine": {{Text: "What cuisine?"}}, "utter_ask_people": {{Text: "How many?"}},
			"utter_ask_outdoor": {{Text: "Outside?"}},
		},
	}
}

func userMsg(intent string, ents ...nlu.Entity) event.Event {
	return event.Event{Type: event.User, Text: intent,
		Parse: &nlu.Parse{Intent: nlu.Intent{Name: intent, Confidence: 1}, Entities: ents}}
}

// runForm runs the user's message through slot extraction and the form, as
// the agent does, and returns the form's events.
func runForm(t *testing.T, d *domain.Domain, tr *tracker.Tracker, msg event.Event) ([]event.Event, error) {
	t.Helper()
	tr.Update(event.Event{Type: event.Action, Name: Listen})
	tr.Update(msg)
	c := &Context{Tracker: tr, Domain: d}
	extracted, _ := ExtractSlotsAction{}.Run(context.Background(), c)
	tr.UpdateAll(extracted)
	evs, err := Resolve("restaurant_form", d).Run(context.Background(), c)
	if err == nil {
		tr.Update(event.Event{Type: event.Action, Name: "restaurant_form"})
		tr.UpdateAll(evs)
	}
	return evs, err
}

func summary(evs []event.Event) []string {
	var out []string
	for _, e := range evs {
		switch e.Type {
		case event.Slot:
			out = append(out, e.Name+"="+PyString(e.Value))
		case event.ActiveLoop:
			out = append(out, "loop="+e.Name)
		case event.Bot:
			out = append(out, "bot:"+e.Text)
		default:
			out = append(out, e.Type)
		}
	}
	return out
}

func TestFormHappyPath(t *testing.T) {
	d := formDomain()
	tr := tracker.New("f", d)
	steps := []struct {
		msg  event.Event
		want []string
	}{
		{userMsg("request"), []string{"loop=restaurant_form", "requested_slot=cuisine", "bot:What cuisine?"}},
		{userMsg("inform", nlu.Entity{Entity: "cuisine", Value: "thai"}),
			[]string{"cuisine=thai", "requested_slot=people", "bot:How many?"}},
		{userMsg("inform", nlu.Entity{Entity: "number", Value: 4.0}),
			[]string{"people=4.0", "requested_slot=outdoor", "bot:Outside?"}},
		{userMsg("deny"), []string{"outdoor=False", "requested_slot=None", "loop="}},
	}
	for i, s := range steps {
		evs, err := runForm(t, d, tr, s.msg)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got := summary(evs); !slices.Equal(got, s.want) {
			t.Fatalf("step %d: %v, want %v", i, got, s.want)
		}
	}
	if tr.ActiveLoopName() != "" || tr.Slot("outdoor") != false {
		t.Fatalf("form not done: loop %q slots %v", tr.ActiveLoopName(), tr.Slots())
	}
}

func TestFormPrefilledOnActivation(t *testing.T) {
	d := formDomain()
	tr := tracker.New("f", d)
	evs, err := runForm(t, d, tr, userMsg("request", nlu.Entity{Entity: "cuisine", Value: "thai"},
		nlu.Entity{Entity: "number", Value: 2.0}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"loop=restaurant_form", "cuisine=thai", "people=2.0", "requested_slot=outdoor", "bot:Outside?"}
	if got := summary(evs); !slices.Equal(got, want) {
		t.Fatalf("%v, want %v", got, want)
	}
}

func TestFormRejection(t *testing.T) {
	d := formDomain()
	tr := tracker.New("f", d)
	if _, err := runForm(t, d, tr, userMsg("request")); err != nil {
		t.Fatal(err)
	}
	_, err := runForm(t, d, tr, userMsg("chitchat"))
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("err = %v, want ErrRejected", err)
	}
	// After another action answered, the form asks again without
	// validating.
	tr.Update(event.Event{Type: event.ActionRejected, Name: "restaurant_form"})
	tr.Update(event.Event{Type: event.Action, Name: "utter_chitchat"})
	evs, err := Resolve("restaurant_form", d).Run(context.Background(), &Context{Tracker: tr, Domain: d})
	if err != nil {
		t.Fatal(err)
	}
	if got := summary(evs); !slices.Equal(got, []string{"requested_slot=cuisine", "bot:What cuisine?"}) {
		t.Fatalf("re-ask: %v", got)
	}
}

func TestAskActionOrder(t *testing.T) {
	const (
		formAsk = "utter_ask_restaurant_form_cuisine"
		formAct = "action_ask_restaurant_form_cuisine"
		slotAsk = "utter_ask_cuisine"
		slotAct = "action_ask_cuisine"
	)
	cases := []struct {
		responses []string
		actions   []string
		want      string
	}{
		{[]string{slotAsk}, nil, slotAsk},
		{[]string{slotAsk, formAsk}, nil, formAsk},
		{[]string{slotAsk}, []string{slotAct}, slotAct},
		{[]string{formAsk}, []string{slotAct}, formAsk},
		{[]string{formAsk}, []string{slotAct, formAct}, formAct},
	}
	for _, c := range cases {
		d := formDomain()
		d.Responses = map[string][]domain.Response{}
		for _, r := range c.responses {
			d.Responses[r] = []domain.Response{{Text: r}}
		}
		for _, a := range c.actions {
			d.Actions = append(d.Actions, domain.Action{Name: a})
		}
		runner := &recordingRunner{}
		tr := tracker.New("f", d)
		tr.Update(userMsg("request"))
		evs, err := Resolve("restaurant_form", d).Run(context.Background(),
			&Context{Tracker: tr, Domain: d, Runner: runner})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, e := range evs {
			if e.Type == event.Bot {
				got = e.Text
			}
		}
		if len(runner.ran) > 0 {
			got = runner.ran[0]
		}
		if got != c.want {
			t.Errorf("responses %v actions %v: asked with %q, want %q", c.responses, c.actions, got, c.want)
		}
	}
}

type recordingRunner struct{ ran []string }

func (r *recordingRunner) Run(_ context.Context, name string, _ *Context) ([]event.Event, error) {
	r.ran = append(r.ran, name)
	return nil, nil
}
