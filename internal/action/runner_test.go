package action

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/tracker"
)

// scriptedRunner answers each action with fixed events or an error, and
// records the trailing slot events of the tracker it was given.
type scriptedRunner struct {
	events map[string][]event.Event
	err    error
	ran    []string
	seen   map[string][]string
}

func (r *scriptedRunner) Run(_ context.Context, name string, c *Context) ([]event.Event, error) {
	r.ran = append(r.ran, name)
	if r.seen == nil {
		r.seen = map[string][]string{}
	}
	evs := c.Tracker.Events
	for i := len(evs) - 1; i >= 0 && evs[i].Type == event.Slot; i-- {
		r.seen[name] = append(r.seen[name], evs[i].Name)
	}
	return r.events[name], r.err
}

func slotLines(evs []event.Event) []string {
	var out []string
	for _, e := range evs {
		switch e.Type {
		case event.Slot:
			out = append(out, fmt.Sprintf("%s=%v", e.Name, e.Value))
		case event.Bot:
			out = append(out, "bot "+e.Text)
		}
	}
	return out
}

// TestFormValidationResult: the validation action sees the candidates at
// the end of the tracker; its slot events come first and the candidates
// it does not mention are kept.
func TestFormValidationResult(t *testing.T) {
	d := formDomain()
	d.Actions = append(d.Actions, domain.Action{Name: "validate_restaurant_form"})
	runner := &scriptedRunner{events: map[string][]event.Event{"validate_restaurant_form": {
		{Type: event.Bot, Text: "no such cuisine"},
		{Type: event.Slot, Name: "cuisine", Value: nil},
	}}}
	tr := tracker.New("v", d)
	tr.UpdateAll([]event.Event{{Type: event.ActiveLoop, Name: "restaurant_form"},
		{Type: event.Slot, Name: domain.RequestedSlot, Value: "cuisine"}})
	msg := userMsg("inform", nlu.Entity{Entity: "cuisine", Value: "martian"},
		nlu.Entity{Entity: "number", Value: 2.0})
	tr.Update(event.Event{Type: event.Action, Name: Listen})
	tr.Update(msg)
	c := &Context{Tracker: tr, Domain: d, Runner: runner}
	extracted, _ := ExtractSlotsAction{}.Run(context.Background(), c)
	tr.UpdateAll(extracted)
	evs, err := Resolve("restaurant_form", d).Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"bot no such cuisine", "cuisine=<nil>", "people=2", "requested_slot=cuisine",
		"bot What cuisine?"}
	if got := slotLines(evs); !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	if seen := runner.seen["validate_restaurant_form"]; len(seen) < 2 {
		t.Errorf("the validation action saw trailing slots %v, want the candidates", seen)
	}
}

// TestFormValidationFailure: a failing validation fails the form.
func TestFormValidationFailure(t *testing.T) {
	d := formDomain()
	d.Actions = append(d.Actions, domain.Action{Name: "validate_restaurant_form"})
	runner := &scriptedRunner{err: fmt.Errorf("%w: unreachable", ErrRunnerFailed)}
	tr := tracker.New("v", d)
	tr.Update(userMsg("request", nlu.Entity{Entity: "cuisine", Value: "thai"}))
	c := &Context{Tracker: tr, Domain: d, Runner: runner}
	extracted, _ := ExtractSlotsAction{}.Run(context.Background(), c)
	tr.UpdateAll(extracted)
	_, err := Resolve("restaurant_form", d).Run(context.Background(), c)
	if !errors.Is(err, ErrRunnerFailed) {
		t.Fatalf("error %v, want ErrRunnerFailed", err)
	}
	if got := slotLines(RevertCandidates(tr)); !slices.Equal(got, []string{"cuisine=<nil>"}) {
		t.Errorf("RevertCandidates = %v", got)
	}
}

// TestSlotMappingValidation: custom mapping actions and the global
// validation run after a user message; only their slot and bot events
// count, and neither runs again when a form activates.
func TestSlotMappingValidation(t *testing.T) {
	d := &domain.Domain{
		Intents: []domain.Intent{{Name: "inform", UseAllEntities: true}},
		Slots: []domain.Slot{
			{Name: "city", Type: domain.SlotText, Mappings: []domain.SlotMapping{
				{Type: domain.MapFromText}}},
			{Name: "zone", Type: domain.SlotText, Mappings: []domain.SlotMapping{
				{Type: domain.MapCustom, Action: "action_zone"}}},
		},
		Actions: []domain.Action{{Name: "action_zone"}, {Name: ValidateSlotMappings}},
	}
	runner := &scriptedRunner{events: map[string][]event.Event{
		"action_zone": {{Type: event.Slot, Name: "zone", Value: "CET"},
			{Type: event.Followup, Name: "utter_x"}},
		ValidateSlotMappings: {{Type: event.Slot, Name: "city", Value: "Oslo"},
			{Type: event.Bot, Text: "checked"}, {Type: event.Restart}},
	}}
	tr := tracker.New("m", d)
	tr.Update(userMsg("oslo"))
	c := &Context{Tracker: tr, Domain: d, Runner: runner}
	evs, _ := ExtractSlotsAction{}.Run(context.Background(), c)
	// The validation's events first, then the extracted slots it did not
	// set again: city once, as the validation set it.
	want := []string{"city=Oslo", "bot checked", "zone=CET"}
	if got := slotLines(evs); !slices.Equal(got, want) || len(evs) != len(want) {
		t.Errorf("events %v, want %v", got, want)
	}
	if seen := runner.seen[ValidateSlotMappings]; !slices.Contains(seen, "city") {
		t.Errorf("the validation saw %v, want the extracted city", seen)
	}
	runner.ran = nil
	_, _ = ExtractSlotsAction{Activating: "f"}.Run(context.Background(), c)
	if len(runner.ran) != 0 {
		t.Errorf("activation ran %v", runner.ran)
	}
}

// fakeNLG renders "nlg:<response>" or fails.
type fakeNLG struct{ fail bool }

func (n fakeNLG) Generate(_ context.Context, _ *Context, response string,
	_ map[string]any) (event.Event, error) {
	if n.fail {
		return event.Event{}, errors.New("down")
	}
	return event.Event{Type: event.Bot, Text: "nlg:" + response}, nil
}

// TestGenerateAndFailureReply: the NLG first, the domain as fallback with
// kwargs before slots, and the failure message.
func TestGenerateAndFailureReply(t *testing.T) {
	d := &domain.Domain{Responses: map[string][]domain.Response{
		"utter_hi": {{Text: "Hi {name}, {city}"}}},
		Slots: []domain.Slot{{Name: "name", Type: domain.SlotText},
			{Name: "city", Type: domain.SlotText}}}
	tr := tracker.New("g", d)
	tr.Update(event.Event{Type: event.Slot, Name: "name", Value: "Ada"})
	tr.Update(event.Event{Type: event.Slot, Name: "city", Value: "Oslo"})
	kwargs := map[string]any{"name": "Bo"}
	cases := []struct {
		nlg  NLG
		want string
	}{
		{nil, "Hi Bo, Oslo"}, {fakeNLG{}, "nlg:utter_hi"}, {fakeNLG{fail: true}, "Hi Bo, Oslo"},
	}
	for _, tc := range cases {
		c := &Context{Tracker: tr, Domain: d, NLG: tc.nlg}
		ev, ok := Generate(context.Background(), c, "utter_hi", "utter_hi", kwargs)
		if !ok || ev.Text != tc.want || ev.Metadata["utter_action"] != "utter_hi" {
			t.Errorf("nlg %v: %q %v, want %q", tc.nlg, ev.Text, ev.Metadata, tc.want)
		}
	}
	c := &Context{Tracker: tr, Domain: d}
	got := FailureReply(context.Background(), c, "action_x")
	if got[0].Text != DefaultFailureText || got[0].Metadata[FailedActionKey] != "action_x" {
		t.Errorf("built-in apology: %+v", got[0])
	}
	d.Responses[FailedResponse] = []domain.Response{{Text: "Oops, {name}."}}
	if got := FailureReply(context.Background(), c, "action_x"); got[0].Text != "Oops, Ada." {
		t.Errorf("utter_action_failed: %+v", got[0])
	}
}
