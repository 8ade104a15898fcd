package action

import (
	"context"
	"slices"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/tracker"
)

// ExtractSlotsAction is action_extract_slots: after every user message it
// fills each slot from the mappings whose conditions hold.
type ExtractSlotsAction struct {
	// Activating is the form being activated; its from_trigger_intent
	// mappings apply.
	Activating string
}

// Name implements Action.
func (ExtractSlotsAction) Name() string { return ExtractSlots }

// ValidateSlotMappings is the global validation action of slot mappings
// that runs after extraction when the domain lists it.
const ValidateSlotMappings = "action_validate_slot_mappings"

// Run implements Action. Custom mappings run their action and, when the
// domain lists it, action_validate_slot_mappings checks what was extracted;
// both only after a user message, not again when a form activates.
func (a ExtractSlotsAction) Run(ctx context.Context, c *Context) ([]event.Event, error) {
	out := a.predefined(ctx, c)
	if a.Activating != "" {
		return out, nil
	}
	return a.validate(ctx, c, out), nil
}

// predefined applies every mapping but the global validation.
func (a ExtractSlotsAction) predefined(ctx context.Context, c *Context) []event.Event {
	t := c.Tracker
	var out []event.Event
	ranCustom := map[string]bool{}
	for _, sl := range c.Domain.Slots {
		if sl.Name == domain.RequestedSlot || sl.Name == domain.SessionStartedMetadata {
			continue
		}
		for _, m := range sl.Mappings {
			if m.Type == domain.MapCustom {
				if a.Activating == "" {
					out = append(out, a.runCustom(ctx, c, m, ranCustom)...)
				}
				continue
			}
			if !a.mappingApplies(c, sl, m) {
				continue
			}
			vals := mappedValues(c, a.Activating, m)
			if len(vals) == 0 {
				continue
			}
			var v any = vals[len(vals)-1]
			if sl.Type == domain.SlotList {
				v = vals
			}
			if !sameValue(t.Slot(sl.Name), v) || !t.HasSlot(sl.Name) {
				out = append(out, event.Event{Type: event.Slot, Name: sl.Name, Value: v})
			}
		}
	}
	return out
}

// validate runs action_validate_slot_mappings, when the domain lists it, on
// the tracker with the extracted slots appended. As in Rasa, its slot and
// bot events come first, followed by the extracted slots it did not set
// again (a candidate it does not mention is valid; it rejects one by
// setting it to null), so each slot is set once. On a failure the
// extracted values stay as they are.
func (a ExtractSlotsAction) validate(ctx context.Context, c *Context,
	extracted []event.Event) []event.Event {
	if !c.Domain.HasAction(ValidateSlotMappings) || c.Runner == nil {
		return extracted
	}
	evs, err := c.Runner.Run(ctx, ValidateSlotMappings, c.with(temporary(c.Tracker, extracted)))
	if err != nil {
		c.log().Debug("slot mapping validation failed; extracted slots are kept",
			"conversation", c.Tracker.SenderID, "action", ValidateSlotMappings, "error", err)
		return extracted
	}
	validated := slotAndBotEvents(evs)
	set := map[string]bool{}
	for _, e := range validated {
		if e.Type == event.Slot {
			set[e.Name] = true
		}
	}
	for _, e := range extracted {
		if e.Type != event.Slot || !set[e.Name] {
			validated = append(validated, e)
		}
	}
	return validated
}

// slotAndBotEvents keeps the events an extraction may add.
func slotAndBotEvents(evs []event.Event) []event.Event {
	var out []event.Event
	for _, e := range evs {
		if e.Type == event.Slot || e.Type == event.Bot {
			out = append(out, e)
		}
	}
	return out
}

// runCustom runs the action of a custom mapping once, keeping only its
// slot and bot events.
func (a ExtractSlotsAction) runCustom(ctx context.Context, c *Context, m domain.SlotMapping,
	ran map[string]bool) []event.Event {
	if m.Action == "" || ran[m.Action] || c.Runner == nil {
		return nil
	}
	ran[m.Action] = true
	evs, err := c.Runner.Run(ctx, m.Action, c)
	if err != nil {
		// The Runner has logged the failure.
		c.log().Debug("custom slot mapping action failed; its slots stay as they are",
			"conversation", c.Tracker.SenderID, "action", m.Action, "error", err)
		return nil
	}
	return slotAndBotEvents(evs)
}

// mappingApplies checks a mapping's conditions and, inside a form, that an
// entity shared by several of the form's slots fills only the requested
// one.
func (a ExtractSlotsAction) mappingApplies(c *Context, sl domain.Slot, m domain.SlotMapping) bool {
	t := c.Tracker
	loop := t.ActiveLoopName()
	if a.Activating != "" {
		loop = a.Activating
	}
	if m.Type != domain.MapFromTriggerIntent && !conditionsMatch(m.Conditions, loop,
		t.Slot(domain.RequestedSlot)) {
		return false
	}
	if m.Type == domain.MapFromEntity && loop != "" {
		return !sharedEntity(c.Domain, loop, sl.Name, m, t.Slot(domain.RequestedSlot))
	}
	return true
}

// conditionsMatch is Rasa's mapping-conditions check.
func conditionsMatch(conds []domain.MappingCondition, loop string, requested any) bool {
	if len(conds) == 0 {
		return true
	}
	for _, c := range conds {
		switch {
		case c.ActiveLoop != "" && c.ActiveLoop == loop:
			if c.RequestedSlot == "" || requested == c.RequestedSlot {
				return true
			}
		case c.ActiveLoop == "" && loop == "":
			return true
		}
	}
	return false
}

// sharedEntity reports whether another required slot of the form maps the
// same entity while slot is not the one requested (Rasa fills only the
// requested slot then).
func sharedEntity(d *domain.Domain, loop, slot string, m domain.SlotMapping, requested any) bool {
	f, ok := d.Form(loop)
	if !ok || !slices.Contains(f.RequiredSlots, slot) || requested == slot {
		return false
	}
	for _, other := range f.RequiredSlots {
		if other == slot {
			continue
		}
		os, ok := d.Slot(other)
		if !ok {
			continue
		}
		for _, om := range os.Mappings {
			if om.Type == domain.MapFromEntity && om.Entity == m.Entity && om.Role == m.Role &&
				om.Group == m.Group {
				return true
			}
		}
	}
	return false
}

// mappedValues returns the values a predefined mapping extracts from the
// latest message (empty when it does not apply).
func mappedValues(c *Context, activating string, m domain.SlotMapping) []any {
	t := c.Tracker
	if !intentDesired(c, m) {
		return nil
	}
	switch m.Type {
	case domain.MapFromEntity:
		return t.LatestEntityValues(m.Entity, m.Role, m.Group)
	case domain.MapFromIntent:
		return []any{m.Value}
	case domain.MapFromText:
		if msg := t.LatestMessage(); msg != nil {
			return []any{msg.Text}
		}
	case domain.MapFromTriggerIntent:
		loop := t.ActiveLoopName()
		if activating != "" {
			loop = activating
		}
		if loop == "" || !triggerLoopAllowed(m.Conditions, loop) {
			return nil
		}
		return []any{m.Value}
	}
	return nil
}

func triggerLoopAllowed(conds []domain.MappingCondition, loop string) bool {
	if len(conds) == 0 {
		return true
	}
	for _, c := range conds {
		if c.ActiveLoop == loop {
			return true
		}
	}
	return false
}

// intentDesired is Rasa's intent check: the mapping's intents (or any
// intent but its not_intent and the active form's ignored_intents).
func intentDesired(c *Context, m domain.SlotMapping) bool {
	t := c.Tracker
	intent := t.LatestIntent()
	notIntents := slices.Clone(m.NotIntent)
	if loop := t.ActiveLoopName(); loop != "" && loopConditionMatches(m.Conditions, loop) {
		if f, ok := c.Domain.Form(loop); ok {
			notIntents = append(notIntents, f.IgnoredIntents...)
		}
	}
	if len(m.Intent) > 0 {
		return slices.Contains(m.Intent, intent)
	}
	return !slices.Contains(notIntents, intent)
}

func loopConditionMatches(conds []domain.MappingCondition, loop string) bool {
	if len(conds) == 0 {
		return true
	}
	for _, c := range conds {
		if c.ActiveLoop == loop {
			return true
		}
	}
	return false
}

// extractAt runs slot extraction against another tracker.
func extractAt(ctx context.Context, c *Context, t *tracker.Tracker, activating string) []event.Event {
	evs, _ := ExtractSlotsAction{Activating: activating}.Run(ctx, c.with(t))
	return evs
}
