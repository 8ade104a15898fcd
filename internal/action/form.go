package action

import (
	"context"
	"fmt"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/tracker"
)

// Form is Rasa's FormAction: a loop that asks for each required slot in
// turn, validates what the user gave (through validate_<form> when the
// domain lists it), and deactivates itself when every slot is filled.
type Form struct {
	form domain.Form
}

// Name implements Action.
func (f *Form) Name() string { return f.form.Name }

// Run implements Action. It returns ErrRejected when the user's reply to a
// question filled no slot, so that other policies can handle it.
func (f *Form) Run(ctx context.Context, c *Context) ([]event.Event, error) {
	var events []event.Event
	if c.Tracker.ActiveLoopName() != f.form.Name {
		activated, err := f.activate(ctx, c)
		if err != nil {
			return nil, err
		}
		events = append(events, event.Event{Type: event.ActiveLoop, Name: f.form.Name})
		events = append(events, activated...)
	}
	if !formDone(events) {
		more, err := f.do(ctx, c, events)
		if err != nil {
			return nil, err
		}
		events = append(events, more...)
	}
	if formDone(events) {
		events = append(events, event.Event{Type: event.ActiveLoop})
	}
	return events, nil
}

// temporary returns a copy of the tracker with events applied.
func temporary(t *tracker.Tracker, events []event.Event) *tracker.Tracker {
	tmp := t.Copy()
	tmp.UpdateAll(events)
	return tmp
}

// activate extracts the slots that the activation itself fills (trigger
// intents, mappings conditioned on this form) and validates the required
// slots that are already filled.
func (f *Form) activate(ctx context.Context, c *Context) ([]event.Event, error) {
	active := temporary(c.Tracker, []event.Event{{Type: event.ActiveLoop, Name: f.form.Name}})
	extracted := extractAt(ctx, c, active, f.form.Name)
	after := temporary(c.Tracker, extracted)
	prefilled := map[string]any{}
	for _, s := range f.form.RequiredSlots {
		if v := after.Slot(s); v != nil {
			prefilled[s] = v
		}
	}
	if len(prefilled) == 0 || !c.Domain.HasAction(f.validateName()) {
		return extracted, nil
	}
	validated, err := f.validateSlots(ctx, c.with(after),
		slotEvents(prefilled, f.form.RequiredSlots))
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, e := range validated {
		if e.Type == event.Slot {
			names[e.Name] = true
		}
	}
	for _, e := range extracted {
		if e.Type == event.Slot && !names[e.Name] {
			validated = append(validated, e)
		}
	}
	return validated, nil
}

func slotEvents(values map[string]any, order []string) []event.Event {
	var out []event.Event
	for _, s := range order {
		if v, ok := values[s]; ok {
			out = append(out, event.Event{Type: event.Slot, Name: s, Value: v})
		}
	}
	return out
}

func (f *Form) validateName() string { return "validate_" + f.form.Name }

// do validates the user's input (when the form runs right after the user
// answered) and asks for the next slot.
func (f *Form) do(ctx context.Context, c *Context, sofar []event.Event) ([]event.Event, error) {
	t := c.Tracker
	var events []event.Event
	var err error
	if t.ActiveLoop() == nil || t.LatestActionName() == Listen && !t.IsActiveLoopInterrupted() {
		events, err = f.validate(ctx, c)
	} else {
		events, err = f.validateSlots(ctx, c, nil)
	}
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		if e.Type == event.ActionRejected {
			return events, nil
		}
	}
	return append(events, f.requestNextSlot(ctx, c, append(sofar, events...))...), nil
}

// validate collects the slots set since the user's message and validates
// them; with a slot requested and nothing extracted, the form rejects.
func (f *Form) validate(ctx context.Context, c *Context) ([]event.Event, error) {
	t := c.Tracker
	var candidates []event.Event
	for _, e := range t.EventsSinceLastUser() {
		if e.Type == event.Slot && e.Name != domain.RequestedSlot &&
			e.Name != domain.SessionStartedMetadata {
			candidates = append(candidates, e)
		}
	}
	// requested_slot belongs to the active loop: right after a switch from
	// another form it is that form's question, which this form must not
	// reject on (as Rasa's get_slot_to_fill).
	requested := ""
	if t.ActiveLoopName() == f.form.Name {
		requested, _ = t.Slot(domain.RequestedSlot).(string)
	}
	if requested != "" && len(candidates) == 0 && !f.customMapped(c.Domain, requested) {
		return nil, fmt.Errorf("%w: form %s could not fill slot %s from the message",
			ErrRejected, f.form.Name, requested)
	}
	return f.validateSlots(ctx, c, candidates)
}

// customMapped reports whether the validation action fills the slot itself
// (a custom mapping), in which case the form must not reject.
func (f *Form) customMapped(d *domain.Domain, slot string) bool {
	s, ok := d.Slot(slot)
	if !ok || !d.HasAction(f.validateName()) {
		return false
	}
	for _, m := range s.Mappings {
		if m.Type == domain.MapCustom {
			return true
		}
	}
	return false
}

// validateSlots returns the candidates as slot events, or, when the domain
// lists validate_<form>, what that action returns for the tracker with the
// candidates appended, followed by the candidates it did not mention (a
// candidate the action does not set again is valid; it rejects one by
// setting it to null). A failure of the action is the form's failure, as
// in Rasa: the form's events are lost.
func (f *Form) validateSlots(ctx context.Context, c *Context,
	candidates []event.Event) ([]event.Event, error) {
	name := f.validateName()
	if !c.Domain.HasAction(name) {
		return candidates, nil
	}
	if c.Runner == nil {
		c.log().Warn("form validation action is listed but no action server is configured; "+
			"extracted values are accepted as they are",
			"conversation", c.Tracker.SenderID, "action", name)
		return candidates, nil
	}
	tmp := temporary(c.Tracker, candidates)
	evs, err := c.Runner.Run(ctx, name, c.with(tmp))
	if err != nil {
		return nil, fmt.Errorf("form %s: %s: %w", f.form.Name, name, err)
	}
	set := map[string]bool{}
	for _, e := range evs {
		if e.Type == event.Slot {
			set[e.Name] = true
		}
	}
	for _, e := range candidates {
		if !set[e.Name] {
			evs = append(evs, e)
		}
	}
	return evs, nil
}

// requestNextSlot sets requested_slot to the first empty required slot and
// asks for it; with none left it clears requested_slot.
func (f *Form) requestNextSlot(ctx context.Context, c *Context, sofar []event.Event) []event.Event {
	noSlot := event.Event{Type: event.Slot, Name: domain.RequestedSlot}
	if formDone(sofar) {
		return []event.Event{noSlot}
	}
	tmp := temporary(c.Tracker, sofar)
	var out []event.Event
	next := requestedIn(sofar)
	if next == "" {
		next = f.nextSlot(tmp)
		out = append(out, event.Event{Type: event.Slot, Name: domain.RequestedSlot, Value: nullable(next)})
	}
	if next == "" {
		return []event.Event{noSlot}
	}
	tmp.UpdateAll(out)
	return append(out, f.ask(ctx, c.with(tmp), next)...)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// requestedIn returns the requested_slot a validation action set, or "".
func requestedIn(events []event.Event) string {
	for _, e := range events {
		if e.Type == event.Slot && e.Name == domain.RequestedSlot {
			if s, ok := e.Value.(string); ok {
				return s
			}
		}
	}
	return ""
}

func (f *Form) nextSlot(t *tracker.Tracker) string {
	for _, s := range f.form.RequiredSlots {
		if t.Slot(s) == nil {
			return s
		}
	}
	return ""
}

// AskActionNames lists the actions that may ask for a form's slot, in the
// order Rasa tries them.
func AskActionNames(form, slot string) []string {
	return []string{
		"action_ask_" + form + "_" + slot,
		"utter_ask_" + form + "_" + slot,
		"action_ask_" + slot,
		"utter_ask_" + slot,
	}
}

// ask runs the first ask action the domain has for the slot.
func (f *Form) ask(ctx context.Context, c *Context, slot string) []event.Event {
	for _, name := range AskActionNames(f.form.Name, slot) {
		_, isResponse := c.Domain.Responses[name]
		if !c.Domain.HasAction(name) && !isResponse {
			continue
		}
		evs, err := Resolve(name, c.Domain).Run(ctx, c)
		if err != nil {
			c.log().Error("asking for a slot failed", "conversation", c.Tracker.SenderID,
				"action", name, "error", err)
			return nil
		}
		return evs
	}
	c.log().Debug("no action asks for the slot", "form", f.form.Name, "slot", slot)
	return nil
}

// formDone reports whether the events end the form: requested_slot set to
// null or the loop deactivated, and no rejection.
func formDone(events []event.Event) bool {
	for _, e := range events {
		if e.Type == event.ActionRejected {
			return false
		}
	}
	for i := len(events) - 1; i >= 0; i-- {
		if e := events[i]; e.Type == event.Slot && e.Name == domain.RequestedSlot {
			if e.Value == nil {
				return true
			}
			break
		}
	}
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Type == event.ActiveLoop {
			return events[i].Name == ""
		}
	}
	return false
}
