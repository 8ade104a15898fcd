package sdk

import (
	"context"
	"fmt"
	"maps"
	"slices"
)

// ValidateFunc checks the value just extracted for one slot. It returns the
// value to keep (possibly normalised, for example "Large" to "large"), or
// nil to reject it: the slot is reset and the form asks for it again. It
// may explain a rejection to the user through the dispatcher.
type ValidateFunc func(ctx context.Context, value any, d *Dispatcher, t *Tracker,
	dom Domain) (any, error)

// ExtractFunc fills one slot with a custom mapping from the conversation
// (usually the latest message). It returns the value, or nil when it found
// nothing.
type ExtractFunc func(ctx context.Context, d *Dispatcher, t *Tracker, dom Domain) (any, error)

// RequiredSlotsFunc decides which slots a form still requires, given those
// the domain lists for it (domainSlots). It lets a form ask for a slot only
// when an earlier answer calls for it.
type RequiredSlotsFunc func(ctx context.Context, domainSlots []string, d *Dispatcher,
	t *Tracker, dom Domain) ([]string, error)

// FormValidation is the validate_<form> action of a form, as the Rasa SDK's
// FormValidationAction. Each turn of the form, it first runs the Extract
// function of every required slot, then the Validate function of every slot
// the turn filled; it returns the slot values to keep.
//
// When RequiredSlots is set and gives other slots than the domain's, the
// action also sets requested_slot to the first of them still empty (or to
// null when all are filled), which the form asks for next.
type FormValidation struct {
	// Form is the form's name; the action is named validate_<Form>.
	Form string
	// Validate holds a ValidateFunc per slot name.
	Validate map[string]ValidateFunc
	// Extract holds an ExtractFunc per slot name.
	Extract map[string]ExtractFunc
	// RequiredSlots overrides the form's required slots; nil keeps the
	// domain's.
	RequiredSlots RequiredSlotsFunc
}

// Name returns "validate_" followed by the form's name.
func (f *FormValidation) Name() string { return "validate_" + f.Form }

// Run extracts and validates the form's slots.
func (f *FormValidation) Run(ctx context.Context, d *Dispatcher, t *Tracker,
	dom Domain) ([]Event, error) {
	domainSlots := dom.FormRequiredSlots(f.Form)
	required, err := f.required(ctx, domainSlots, d, t, dom)
	if err != nil {
		return nil, err
	}
	v := validation{name: f.Name(), validate: f.Validate, extract: f.Extract}
	t, events, err := v.run(ctx, required, d, t, dom)
	if err != nil {
		return nil, err
	}
	if f.RequiredSlots == nil && len(domainSlots) > 0 {
		return events, nil
	}
	required, err = f.required(ctx, domainSlots, d, t, dom)
	if err != nil {
		return nil, err
	}
	if len(required) > 0 && slices.Equal(required, domainSlots) {
		return events, nil
	}
	return append(events, SlotSet(RequestedSlot, firstEmpty(required, t))), nil
}

// required returns the required slots, from RequiredSlots when it is set.
func (f *FormValidation) required(ctx context.Context, domainSlots []string, d *Dispatcher,
	t *Tracker, dom Domain) ([]string, error) {
	if f.RequiredSlots == nil {
		return domainSlots, nil
	}
	slots, err := f.RequiredSlots(ctx, slices.Clone(domainSlots), d, t, dom)
	if err != nil {
		return nil, fmt.Errorf("required slots of form %s: %w", f.Form, err)
	}
	return slots, nil
}

// firstEmpty returns the first slot without a value, or nil.
func firstEmpty(slots []string, t *Tracker) any {
	for _, s := range slots {
		if t.GetSlot(s) == nil {
			return s
		}
	}
	return nil
}

// SlotMappingValidation is the global action_validate_slot_mappings, as the
// Rasa SDK's ValidationAction: after every user message, it runs the Extract
// function of each slot with a custom mapping outside forms, then the
// Validate function of each slot that was filled.
//
// The global slots are those of the domain whose mappings are not tied to a
// form by a condition. When the bot does not send the domain (selective
// domain without send_domain: true), every slot with an Extract function is
// extracted.
type SlotMappingValidation struct {
	// Validate holds a ValidateFunc per slot name.
	Validate map[string]ValidateFunc
	// Extract holds an ExtractFunc per slot name.
	Extract map[string]ExtractFunc
}

// SlotMappingValidationName is the name of the global slot-mapping
// validation action.
const SlotMappingValidationName = "action_validate_slot_mappings"

// Name returns "action_validate_slot_mappings".
func (SlotMappingValidation) Name() string { return SlotMappingValidationName }

// Run extracts and validates the global slots.
func (s SlotMappingValidation) Run(ctx context.Context, d *Dispatcher, t *Tracker,
	dom Domain) ([]Event, error) {
	slots := globalSlots(dom)
	if dom == nil {
		slots = slices.Sorted(maps.Keys(s.Extract))
	}
	v := validation{name: s.Name(), validate: s.Validate, extract: s.Extract}
	_, events, err := v.run(ctx, slots, d, t, dom)
	return events, err
}

// globalSlots returns the sorted slots of the domain that no mapping
// condition ties to a form.
func globalSlots(dom Domain) []string {
	var out []string
	for _, name := range dom.SlotNames() {
		if !tiedToForm(dom.Slot(name)) {
			out = append(out, name)
		}
	}
	return out
}

func tiedToForm(slot map[string]any) bool {
	mappings, _ := slot["mappings"].([]any)
	for _, m := range mappings {
		mapping, _ := m.(map[string]any)
		conditions, _ := mapping["conditions"].([]any)
		for _, c := range conditions {
			cond, _ := c.(map[string]any)
			if loop, _ := cond["active_loop"].(string); loop != "" {
				return true
			}
		}
	}
	return false
}

// validation is the extract-then-validate step shared by both actions.
type validation struct {
	name     string
	validate map[string]ValidateFunc
	extract  map[string]ExtractFunc
}

// run extracts the slots, then validates the slots the tracker's trailing
// slot events and the extraction set. It returns the tracker with the
// results applied and one slot event per candidate.
func (v validation) run(ctx context.Context, slots []string, d *Dispatcher, t *Tracker,
	dom Domain) (*Tracker, []Event, error) {
	extracted, err := v.extractSlots(ctx, slots, d, t, dom)
	if err != nil {
		return nil, nil, err
	}
	t = t.withSlots(extracted)
	candidates := t.trailingSlots()
	for i, c := range candidates {
		fn := v.validate[c.name]
		if fn == nil {
			continue
		}
		value, err := fn(ctx, c.value, d, t, dom)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: validating slot %s: %w", v.name, c.name, err)
		}
		candidates[i].value = value
		t.state.Slots[c.name] = value
	}
	events := make([]Event, 0, len(candidates))
	for _, c := range candidates {
		events = append(events, SlotSet(c.name, c.value))
	}
	return t, events, nil
}

// extractSlots runs the Extract function of each slot in order; each sees
// the values extracted before it.
func (v validation) extractSlots(ctx context.Context, slots []string, d *Dispatcher,
	t *Tracker, dom Domain) ([]slotValue, error) {
	var out []slotValue
	view := t
	for _, slot := range slots {
		fn := v.extract[slot]
		if fn == nil {
			continue
		}
		value, err := fn(ctx, d, view, dom)
		if err != nil {
			return nil, fmt.Errorf("%s: extracting slot %s: %w", v.name, slot, err)
		}
		if value == nil {
			continue
		}
		out = setSlotValue(out, slot, value)
		view = view.withValue(slot, value)
	}
	return out, nil
}
