package sdk

import (
	"context"
	"slices"
)

// Action is a custom action. Name is the name the domain lists under
// actions:; Run executes it for one conversation turn.
//
// Run returns the events to apply to the conversation, in order. Messages
// for the user go through the dispatcher. Returning an error that wraps
// ErrRejected (see Reject) tells the bot that the action declined to run,
// and the bot predicts another action; any other error is a failure of the
// action, reported to the bot as an HTTP 500.
//
// Run may be called concurrently for different conversations; it must not
// keep the tracker or the dispatcher after it returns.
type Action interface {
	Name() string
	Run(ctx context.Context, d *Dispatcher, t *Tracker, dom Domain) ([]Event, error)
}

// RunFunc is the signature of Action.Run, for actions written as functions.
type RunFunc func(ctx context.Context, d *Dispatcher, t *Tracker, dom Domain) ([]Event, error)

// NewAction returns an Action with the given name that calls run.
func NewAction(name string, run RunFunc) Action { return funcAction{name: name, run: run} }

type funcAction struct {
	name string
	run  RunFunc
}

func (a funcAction) Name() string { return a.name }

func (a funcAction) Run(ctx context.Context, d *Dispatcher, t *Tracker,
	dom Domain) ([]Event, error) {
	return a.run(ctx, d, t, dom)
}

// Domain is the bot's domain as the action call carries it: the JSON of
// Rasa's Domain.as_dict, with keys such as "intents", "entities", "slots",
// "responses", "actions" and "forms". It is nil when the bot did not send
// the domain (selective domain, see the action_endpoint settings).
type Domain map[string]any

// SlotNames returns the names of the slots the domain declares, sorted.
func (d Domain) SlotNames() []string {
	slots, _ := d["slots"].(map[string]any)
	names := make([]string, 0, len(slots))
	for name := range slots {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Slot returns the definition of the named slot ("type", "initial_value",
// "mappings", ...), or nil when the domain has no such slot.
func (d Domain) Slot(name string) map[string]any {
	slots, _ := d["slots"].(map[string]any)
	def, _ := slots[name].(map[string]any)
	return def
}

// FormRequiredSlots returns the required_slots of the named form, or nil
// when the domain has no such form.
func (d Domain) FormRequiredSlots(form string) []string {
	forms, _ := d["forms"].(map[string]any)
	def, _ := forms[form].(map[string]any)
	return stringList(def["required_slots"])
}

// HasResponse reports whether the domain defines the named response, such
// as "utter_greet".
func (d Domain) HasResponse(name string) bool {
	responses, _ := d["responses"].(map[string]any)
	_, ok := responses[name]
	return ok
}

// stringList returns the strings of a JSON list, skipping other values.
func stringList(v any) []string {
	switch list := v.(type) {
	case []string:
		return slices.Clone(list)
	case []any:
		out := make([]string, 0, len(list))
		for _, item := range list {
			if s, ok := item.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
