package sdk

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// RequestedSlot is the slot a form uses to remember which slot it asked
// for.
const RequestedSlot = "requested_slot"

// Intent is an intent with the classifier's confidence.
type Intent struct {
	Name       string  `json:"name"`
	Confidence float64 `json:"confidence"`
}

// Entity is an entity found in a user message. Start and End are character
// offsets into the text.
type Entity struct {
	Entity     string   `json:"entity"`
	Value      any      `json:"value"`
	Start      int      `json:"start"`
	End        int      `json:"end"`
	Role       string   `json:"role,omitempty"`
	Group      string   `json:"group,omitempty"`
	Confidence *float64 `json:"confidence_entity,omitempty"`
	Extractor  string   `json:"extractor,omitempty"`
}

// UserMessage is the latest message of the user with what NLU found in it.
type UserMessage struct {
	Text             string         `json:"text"`
	Intent           Intent         `json:"intent"`
	Entities         []Entity       `json:"entities"`
	IntentRanking    []Intent       `json:"intent_ranking"`
	MessageID        string         `json:"message_id"`
	Metadata         map[string]any `json:"metadata"`
	ResponseSelector map[string]any `json:"response_selector,omitempty"`
}

// Loop is the active loop (form) of a conversation. Its Name is empty when
// no loop is active.
type Loop struct {
	Name           string         `json:"name"`
	Validate       bool           `json:"validate"`
	Rejected       bool           `json:"rejected"`
	IsInterrupted  bool           `json:"is_interrupted"`
	TriggerMessage map[string]any `json:"trigger_message,omitempty"`
}

// TrackerState is the tracker JSON of an action call (Rasa's
// tracker.current_state). Build one to test actions with NewTracker.
type TrackerState struct {
	SenderID           string         `json:"sender_id"`
	Slots              map[string]any `json:"slots"`
	LatestMessage      UserMessage    `json:"latest_message"`
	Events             []Event        `json:"events"`
	Paused             bool           `json:"paused"`
	FollowupAction     string         `json:"followup_action"`
	ActiveLoop         Loop           `json:"active_loop"`
	LatestActionName   string         `json:"latest_action_name"`
	LatestInputChannel string         `json:"latest_input_channel"`
	LatestEventTime    float64        `json:"latest_event_time"`
}

// UnmarshalJSON reads the tracker JSON; the active loop is also read from
// "active_form", as older bots name it.
func (s *TrackerState) UnmarshalJSON(data []byte) error {
	type plain TrackerState
	var v struct {
		plain
		ActiveForm *Loop `json:"active_form"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*s = TrackerState(v.plain)
	if s.ActiveLoop.Name == "" && v.ActiveForm != nil {
		s.ActiveLoop = *v.ActiveForm
	}
	return nil
}

// Tracker is a read-only view of a conversation, as the bot sent it with
// the action call. The slot values are those before the action's own
// events apply.
type Tracker struct {
	state TrackerState
}

// NewTracker returns a tracker over state.
func NewTracker(state TrackerState) *Tracker {
	if state.Slots == nil {
		state.Slots = map[string]any{}
	}
	return &Tracker{state: state}
}

// ParseTracker reads the tracker JSON of an action call.
func ParseTracker(data []byte) (*Tracker, error) {
	var s TrackerState
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("sdk: reading the tracker: %w", err)
	}
	return NewTracker(s), nil
}

// SenderID returns the conversation id.
func (t *Tracker) SenderID() string { return t.state.SenderID }

// GetSlot returns the value of the slot, or nil when it is unset or
// unknown. JSON numbers are float64, lists []any and objects map[string]any.
func (t *Tracker) GetSlot(name string) any { return t.state.Slots[name] }

// Slots returns a copy of every slot value.
func (t *Tracker) Slots() map[string]any { return maps.Clone(t.state.Slots) }

// RequestedSlot returns the slot the active form asked for, or "".
func (t *Tracker) RequestedSlot() string {
	s, _ := t.state.Slots[RequestedSlot].(string)
	return s
}

// LatestMessage returns the latest user message.
func (t *Tracker) LatestMessage() UserMessage { return t.state.LatestMessage }

// LatestIntent returns the intent of the latest user message, or "".
func (t *Tracker) LatestIntent() string { return t.state.LatestMessage.Intent.Name }

// LatestEntityValues returns the values of the entities of the given type in
// the latest user message, in order. A non-empty role or group keeps only
// the entities with that role or group.
func (t *Tracker) LatestEntityValues(entity, role, group string) []any {
	var out []any
	for _, e := range t.state.LatestMessage.Entities {
		if e.Entity != entity || (role != "" && e.Role != role) ||
			(group != "" && e.Group != group) {
			continue
		}
		out = append(out, e.Value)
	}
	return out
}

// Events returns a copy of the events the bot sent (by default those of the
// current session), oldest first.
func (t *Tracker) Events() []Event { return cloneEvents(t.state.Events) }

// cloneEvents copies the list and each event's top-level map.
func cloneEvents(events []Event) []Event {
	out := make([]Event, len(events))
	for i, e := range events {
		out[i] = maps.Clone(e)
	}
	return out
}

// EventsAfterLatestRestart returns the events after the latest "restart".
func (t *Tracker) EventsAfterLatestRestart() []Event {
	for i := len(t.state.Events) - 1; i >= 0; i-- {
		if t.state.Events[i].Type() == "restart" {
			return cloneEvents(t.state.Events[i+1:])
		}
	}
	return t.Events()
}

// ActiveLoop returns the active loop; its Name is "" when none is active.
func (t *Tracker) ActiveLoop() Loop { return t.state.ActiveLoop }

// ActiveLoopName returns the name of the active loop (form), or "".
func (t *Tracker) ActiveLoopName() string { return t.state.ActiveLoop.Name }

// LatestActionName returns the name of the latest action that ran.
func (t *Tracker) LatestActionName() string { return t.state.LatestActionName }

// LatestInputChannel returns the channel of the latest user message.
func (t *Tracker) LatestInputChannel() string { return t.state.LatestInputChannel }

// FollowupAction returns the action the bot will run next without a
// prediction, or "".
func (t *Tracker) FollowupAction() string { return t.state.FollowupAction }

// Paused reports whether the conversation is paused.
func (t *Tracker) Paused() bool { return t.state.Paused }

// SlotsToValidate returns the slot values that the trailing "slot" events
// of the tracker set: the candidates a form or the slot-mapping validation
// asks a validation action to check.
func (t *Tracker) SlotsToValidate() map[string]any {
	out := map[string]any{}
	for _, sv := range t.trailingSlots() {
		out[sv.name] = sv.value
	}
	return out
}

// slotValue is one slot name and value, kept in order.
type slotValue struct {
	name  string
	value any
}

// trailingSlots returns the slot events at the end of the events, in order,
// one per slot (the later value wins, at the position of the first).
func (t *Tracker) trailingSlots() []slotValue {
	start := len(t.state.Events)
	for start > 0 && t.state.Events[start-1].Type() == "slot" {
		start--
	}
	var out []slotValue
	for _, e := range t.state.Events[start:] {
		name, _ := e["name"].(string)
		out = setSlotValue(out, name, e["value"])
	}
	return out
}

// setSlotValue sets name in the ordered list, replacing an earlier value.
func setSlotValue(list []slotValue, name string, value any) []slotValue {
	for i := range list {
		if list[i].name == name {
			list[i].value = value
			return list
		}
	}
	return append(list, slotValue{name, value})
}

// withSlots returns a copy of the tracker with a "slot" event appended and
// the slot updated for each value, as the bot would apply them.
func (t *Tracker) withSlots(values []slotValue) *Tracker {
	s := t.state
	s.Slots = maps.Clone(s.Slots)
	if s.Slots == nil {
		s.Slots = map[string]any{}
	}
	s.Events = slices.Clone(s.Events)
	for _, sv := range values {
		s.Slots[sv.name] = sv.value
		s.Events = append(s.Events, SlotSet(sv.name, sv.value))
	}
	return &Tracker{state: s}
}

// withValue returns a copy of the tracker with one slot changed and no
// event added.
func (t *Tracker) withValue(name string, value any) *Tracker {
	s := t.state
	s.Slots = maps.Clone(s.Slots)
	if s.Slots == nil {
		s.Slots = map[string]any{}
	}
	s.Slots[name] = value
	return &Tracker{state: s}
}
