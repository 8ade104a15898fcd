package action

import (
	"context"
	"slices"
	"testing"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/tracker"
)

func TestExtractSlots(t *testing.T) {
	city := func(role string) domain.Slot {
		return domain.Slot{Name: "city_" + role, Type: domain.SlotText, Mappings: []domain.SlotMapping{
			{Type: domain.MapFromEntity, Entity: "city", Role: role}}}
	}
	d := &domain.Domain{
		Slots: []domain.Slot{
			city("from"), city("to"),
			{Name: "tags", Type: domain.SlotList, Mappings: []domain.SlotMapping{
				{Type: domain.MapFromEntity, Entity: "tag"}}},
			{Name: "note", Type: domain.SlotText, Mappings: []domain.SlotMapping{
				{Type: domain.MapFromText, NotIntent: []string{"greet"}}}},
			{Name: "happy", Type: domain.SlotBool, Mappings: []domain.SlotMapping{
				{Type: domain.MapFromIntent, Intent: []string{"affirm"}, Value: true},
				{Type: domain.MapFromIntent, Intent: []string{"deny"}, Value: false}}},
			{Name: "in_form", Type: domain.SlotText, Mappings: []domain.SlotMapping{
				{Type: domain.MapFromText, Conditions: []domain.MappingCondition{
					{ActiveLoop: "f", RequestedSlot: "in_form"}}}}},
			{Name: "trigger", Type: domain.SlotText, Mappings: []domain.SlotMapping{
				{Type: domain.MapFromTriggerIntent, Intent: []string{"book"}, Value: "booked"}}},
		},
		Forms: []domain.Form{{Name: "f", RequiredSlots: []string{"in_form"}}},
	}
	cases := []struct {
		name   string
		pre    []event.Event
		intent string
		ents   []nlu.Entity
		want   []string
	}{
		{"roles", nil, "greet", []nlu.Entity{{Entity: "city", Value: "Oslo", Role: "from"},
			{Entity: "city", Value: "Rome", Role: "to"}}, []string{"city_from=Oslo", "city_to=Rome"}},
		{"list keeps every value", nil, "greet", []nlu.Entity{{Entity: "tag", Value: "a"},
			{Entity: "tag", Value: "b"}}, []string{"tags=['a', 'b']"}},
		{"from_text and from_intent", nil, "affirm", nil, []string{"note=affirm", "happy=True"}},
		{"not_intent", nil, "greet", nil, nil},
		{"condition holds", []event.Event{{Type: event.ActiveLoop, Name: "f"},
			{Type: event.Slot, Name: domain.RequestedSlot, Value: "in_form"}}, "greet", nil,
			[]string{"in_form=greet"}},
		{"unchanged value is not set again", []event.Event{{Type: event.Slot, Name: "happy", Value: false}},
			"deny", nil, []string{"note=deny"}},
		{"trigger intent only on activation", nil, "book", nil, []string{"note=book"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := tracker.FromEvents("x", d, c.pre)
			tr.Update(event.Event{Type: event.User, Text: c.intent,
				Parse: &nlu.Parse{Intent: nlu.Intent{Name: c.intent}, Entities: c.ents}})
			evs, err := ExtractSlotsAction{}.Run(context.Background(), &Context{Tracker: tr, Domain: d})
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(evs); !slices.Equal(got, c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
	tr := tracker.New("x", d)
	tr.Update(event.Event{Type: event.User, Parse: &nlu.Parse{Intent: nlu.Intent{Name: "book"}}})
	evs := extractAt(context.Background(), &Context{Domain: d}, tr, "f")
	if got := summary(evs); !slices.Contains(got, "trigger=booked") {
		t.Fatalf("activation: %v", got)
	}
}

func TestResponseVariations(t *testing.T) {
	d := &domain.Domain{
		Slots: []domain.Slot{{Name: "name", Type: domain.SlotText}, {Name: "vip", Type: domain.SlotBool}},
		Responses: map[string][]domain.Response{
			"utter_hi": {
				{Text: "Hi {name}!"},
				{Text: "Hello on slack, {name}", Channel: "slack"},
				{Text: "Welcome back, VIP",
					Condition: []domain.ResponseCondition{{Type: "slot", Name: "vip", Value: true}}},
			},
			"utter_missing": {{Text: "Hi {nobody}", Image: "https://x/{name}.png",
				Buttons: []domain.Button{{Title: "Yes", Payload: "/affirm"}}}},
		},
	}
	tr := tracker.FromEvents("x", d, []event.Event{{Type: event.Slot, Name: "name", Value: "Ann"}})
	for _, c := range []struct {
		channel string
		vip     any
		want    string
	}{{"rest", nil, "Hi Ann!"}, {"slack", nil, "Hello on slack, Ann"}, {"rest", true, "Welcome back, VIP"}} {
		tt := tr.Copy()
		tt.Update(event.Event{Type: event.Slot, Name: "vip", Value: c.vip})
		c2 := &Context{Tracker: tt, Domain: d, Channel: c.channel}
		evs, _ := Resolve("utter_hi", d).Run(context.Background(), c2)
		if len(evs) != 1 || evs[0].Text != c.want {
			t.Errorf("%s vip=%v: %+v, want %q", c.channel, c.vip, evs, c.want)
		}
	}
	evs, _ := Resolve("utter_missing", d).Run(context.Background(), &Context{Tracker: tr, Domain: d})
	e := evs[0]
	if e.Text != "Hi {nobody}" || e.Data.Image != "https://x/Ann.png" || e.Data.Attachment != e.Data.Image ||
		e.Data.Buttons[0]["payload"] != "/affirm" || e.Metadata["utter_action"] != "utter_missing" {
		t.Fatalf("event %+v data %+v", e, e.Data)
	}
}

func TestFillWritesPythonValues(t *testing.T) {
	slots := map[string]any{"n": 4.0, "b": true, "none": nil, "l": []any{"a", 1.5}}
	got := Fill("{n} {b} {none} {l}", slots)
	if got != "4.0 True None ['a', 1.5]" {
		t.Fatalf("got %q", got)
	}
}

func TestRetrievalAction(t *testing.T) {
	key := "faq/ask_name"
	// respond_faq is listed as an action, as Rasa 2 domains did; it stays the
	// retrieval action. The bot event names the chosen response, as Rasa's.
	d := &domain.Domain{Intents: []domain.Intent{{Name: "faq", IsRetrieval: true}},
		Actions:   []domain.Action{{Name: "respond_faq"}},
		Responses: map[string][]domain.Response{"utter_faq/ask_name": {{Text: "I am Parley."}}}}
	tr := tracker.New("x", d)
	tr.Update(event.Event{Type: event.User, Parse: &nlu.Parse{Intent: nlu.Intent{Name: "faq"},
		ResponseSelector: &nlu.ResponseSelector{Selectors: map[string]nlu.SelectorResponse{
			"default": {Response: nlu.SelectedResponse{IntentResponseKey: &key}}}}}})
	for _, name := range []string{"utter_faq", "respond_faq"} {
		evs, err := Resolve(name, d).Run(context.Background(), &Context{Tracker: tr, Domain: d})
		if err != nil || len(evs) != 1 || evs[0].Text != "I am Parley." ||
			evs[0].Metadata["utter_action"] != "utter_faq/ask_name" {
			t.Fatalf("%s: %+v %v", name, evs, err)
		}
	}
}

func TestResolveOrder(t *testing.T) {
	d := &domain.Domain{Actions: []domain.Action{{Name: "action_restart"}, {Name: "action_x"}},
		Forms: []domain.Form{{Name: "my_form"}}}
	for name, want := range map[string]string{
		"action_listen": "action.builtinFunc", "action_restart": "action.Custom",
		"utter_hi": "action.Response", "my_form": "*action.Form", "action_x": "action.Custom",
		"action_extract_slots": "action.ExtractSlotsAction",
	} {
		if got := typeName(Resolve(name, d)); got != want {
			t.Errorf("%s resolves to %s, want %s", name, got, want)
		}
	}
}

func typeName(v any) string {
	switch v.(type) {
	case builtinFunc:
		return "action.builtinFunc"
	case Custom:
		return "action.Custom"
	case Response:
		return "action.Response"
	case *Form:
		return "*action.Form"
	case ExtractSlotsAction:
		return "action.ExtractSlotsAction"
	}
	return "?"
}
