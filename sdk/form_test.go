package sdk

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pizzaDomain is the domain JSON of a pizza form, as the bot sends it.
func pizzaDomain() Domain {
	formCond := []any{map[string]any{"active_loop": "pizza_form"}}
	return Domain{
		"forms": map[string]any{"pizza_form": map[string]any{
			"required_slots": []any{"pizza_size", "pizza_type"}}},
		"slots": map[string]any{
			"pizza_size": map[string]any{"mappings": []any{map[string]any{
				"type": "from_entity", "entity": "size", "conditions": formCond}}},
			"pizza_type": map[string]any{"mappings": []any{map[string]any{
				"type": "custom", "conditions": formCond}}},
			"outdoor": map[string]any{"mappings": []any{map[string]any{"type": "custom"}}},
			"name":    map[string]any{"mappings": []any{map[string]any{"type": "from_text"}}},
		},
	}
}

// formTracker has the given slot values and, at the end of its events, a
// slot event per candidate, as a form sends them to validate_<form>.
func formTracker(text string, slots map[string]any, candidates ...any) *Tracker {
	events := []Event{ActionExecuted("action_listen"), UserUttered(text, nil, "")}
	for i := 0; i+1 < len(candidates); i += 2 {
		events = append(events, SlotSet(candidates[i].(string), candidates[i+1]))
	}
	return NewTracker(TrackerState{SenderID: "u1", Slots: slots, Events: events,
		LatestMessage: UserMessage{Text: text}})
}

func validateSize(_ context.Context, v any, d *Dispatcher, _ *Tracker, _ Domain) (any, error) {
	s, _ := v.(string)
	s = strings.ToLower(s)
	if s != "small" && s != "large" {
		d.UtterText("We only have small or large pizzas.")
		return nil, nil
	}
	return s, nil
}

func extractType(_ context.Context, _ *Dispatcher, t *Tracker, _ Domain) (any, error) {
	if strings.Contains(t.LatestMessage().Text, "veggie") {
		return "vegetarian", nil
	}
	return nil, nil
}

func runForm(t *testing.T, f *FormValidation, tr *Tracker) ([]Event, []Message) {
	t.Helper()
	d := &Dispatcher{}
	events, err := f.Run(context.Background(), d, tr, pizzaDomain())
	if err != nil {
		t.Fatal(err)
	}
	return events, d.Messages()
}

func TestFormValidation(t *testing.T) {
	f := &FormValidation{Form: "pizza_form",
		Validate: map[string]ValidateFunc{"pizza_size": validateSize},
		Extract:  map[string]ExtractFunc{"pizza_type": extractType}}
	if f.Name() != "validate_pizza_form" {
		t.Errorf("name = %s", f.Name())
	}
	cases := []struct {
		name     string
		tracker  *Tracker
		want     []Event
		messages int
	}{
		{"valid value is normalised", formTracker("LARGE", nil, "pizza_size", "LARGE"),
			[]Event{SlotSet("pizza_size", "large")}, 0},
		{"nil rejects the value", formTracker("medium", nil, "pizza_size", "medium"),
			[]Event{SlotSet("pizza_size", nil)}, 1},
		{"extracted slot", formTracker("a veggie one", nil),
			[]Event{SlotSet("pizza_type", "vegetarian")}, 0},
		{"nothing extracted", formTracker("hmm", nil), []Event{}, 0},
		{"candidates without validator are kept", formTracker("x", nil, "name", "Ada"),
			[]Event{SlotSet("name", "Ada")}, 0},
	}
	for _, tc := range cases {
		events, msgs := runForm(t, f, tc.tracker)
		if diff := cmp.Diff(tc.want, events); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
		if len(msgs) != tc.messages {
			t.Errorf("%s: %d messages, want %d", tc.name, len(msgs), tc.messages)
		}
	}
}

// TestFormRequiredSlotsOverride checks requested_slot after an override.
func TestFormRequiredSlotsOverride(t *testing.T) {
	var calls int
	f := &FormValidation{Form: "pizza_form",
		Validate: map[string]ValidateFunc{"pizza_size": validateSize},
		RequiredSlots: func(_ context.Context, slots []string, _ *Dispatcher, t *Tracker,
			_ Domain) ([]string, error) {
			calls++
			if t.GetSlot("pizza_size") == "large" {
				return append(slots, "outdoor"), nil
			}
			return slots, nil
		}}
	events, _ := runForm(t, f, formTracker("large", map[string]any{"pizza_type": "cheese"},
		"pizza_size", "Large"))
	want := []Event{SlotSet("pizza_size", "large"), SlotSet(RequestedSlot, "outdoor")}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("override (-want +got):\n%s", diff)
	}
	if calls != 2 {
		t.Errorf("RequiredSlots called %d times, want 2 (before and after validation)", calls)
	}
	events, _ = runForm(t, f, formTracker("small", map[string]any{"pizza_type": "cheese"},
		"pizza_size", "small"))
	if diff := cmp.Diff([]Event{SlotSet("pizza_size", "small")}, events); diff != "" {
		t.Errorf("override equal to the domain's adds no requested_slot:\n%s", diff)
	}
	filled := map[string]any{"pizza_type": "cheese", "outdoor": true}
	events, _ = runForm(t, f, formTracker("large", filled, "pizza_size", "large"))
	if last := events[len(events)-1]; last["name"] != RequestedSlot || last["value"] != nil {
		t.Errorf("all filled: last event %v, want requested_slot null", last)
	}
}

// TestFormErrors checks that a failing hook fails the action.
func TestFormErrors(t *testing.T) {
	boom := errors.New("boom")
	f := &FormValidation{Form: "pizza_form", Validate: map[string]ValidateFunc{
		"pizza_size": func(context.Context, any, *Dispatcher, *Tracker, Domain) (any, error) {
			return nil, boom
		}}}
	_, err := f.Run(context.Background(), &Dispatcher{},
		formTracker("x", nil, "pizza_size", "small"), pizzaDomain())
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "pizza_size") {
		t.Errorf("error = %v", err)
	}
}

// TestSlotMappingValidation checks the global validation action.
func TestSlotMappingValidation(t *testing.T) {
	var extracted []string
	track := func(slot string, v any) ExtractFunc {
		return func(context.Context, *Dispatcher, *Tracker, Domain) (any, error) {
			extracted = append(extracted, slot)
			return v, nil
		}
	}
	v := SlotMappingValidation{
		Extract: map[string]ExtractFunc{"outdoor": track("outdoor", true),
			"pizza_type": track("pizza_type", "cheese")},
		Validate: map[string]ValidateFunc{"name": func(_ context.Context, v any, _ *Dispatcher,
			_ *Tracker, _ Domain) (any, error) {
			return strings.ToUpper(v.(string)), nil
		}},
	}
	if v.Name() != "action_validate_slot_mappings" {
		t.Errorf("name = %s", v.Name())
	}
	events, err := v.Run(context.Background(), &Dispatcher{},
		formTracker("ada", nil, "name", "ada"), pizzaDomain())
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{SlotSet("name", "ADA"), SlotSet("outdoor", true)}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if !slices.Equal(extracted, []string{"outdoor"}) {
		t.Errorf("extracted %v; a slot tied to a form must not be", extracted)
	}
	extracted = nil
	if _, err := v.Run(context.Background(), &Dispatcher{}, formTracker("x", nil), nil); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(extracted, []string{"outdoor", "pizza_type"}) {
		t.Errorf("without a domain, extracted %v", extracted)
	}
}
