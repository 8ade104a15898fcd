package tracker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/parley-chat/parley/internal/event"
)

// Verbosity says which events the tracker JSON includes, as Rasa's
// include_events parameter.
type Verbosity int

// The event verbosities.
const (
	EventsNone Verbosity = iota
	EventsApplied
	EventsAfterRestart
	EventsAll
)

// ParseVerbosity reads "NONE", "APPLIED", "AFTER_RESTART" or "ALL" (any
// case).
func ParseVerbosity(s string) (Verbosity, error) {
	switch strings.ToUpper(s) {
	case "NONE":
		return EventsNone, nil
	case "APPLIED":
		return EventsApplied, nil
	case "AFTER_RESTART", "":
		return EventsAfterRestart, nil
	case "ALL":
		return EventsAll, nil
	}
	return 0, fmt.Errorf("%w: %q (use NONE, APPLIED, AFTER_RESTART or ALL)", ErrVerbosity, s)
}

// eventsFor returns the events a verbosity includes (nil for EventsNone).
func (t *Tracker) eventsFor(v Verbosity) []event.Event {
	switch v {
	case EventsApplied:
		return t.AppliedEvents()
	case EventsAfterRestart:
		return t.EventsAfterLatestRestart()
	case EventsAll:
		return t.Events
	}
	return nil
}

// MarshalState writes the tracker as Rasa's current_state: sender_id,
// slots, latest_message, latest_event_time, followup_action, paused,
// events, latest_input_channel, active_loop, latest_action,
// latest_action_name.
func (t *Tracker) MarshalState(v Verbosity) ([]byte, error) {
	var b bytes.Buffer
	w := &writer{b: &b}
	b.WriteByte('{')
	w.field("sender_id", t.SenderID)
	w.raw("slots", t.slotsJSON())
	w.raw("latest_message", t.latestMessageJSON())
	if n := len(t.Events); n > 0 {
		w.raw("latest_event_time", event.Float(t.Events[n-1].Timestamp))
	} else {
		w.field("latest_event_time", nil)
	}
	w.field("followup_action", nullable(t.followup))
	w.field("paused", t.paused)
	if v == EventsNone {
		w.field("events", nil)
	} else {
		evs := t.eventsFor(v)
		if evs == nil {
			evs = []event.Event{}
		}
		w.field("events", evs)
	}
	w.field("latest_input_channel", nullable(t.LatestInputChannel()))
	w.raw("active_loop", t.activeLoopJSON())
	w.raw("latest_action", t.latestActionJSON())
	w.field("latest_action_name", nullable(t.LatestActionName()))
	b.WriteByte('}')
	if w.err != nil {
		return nil, w.err
	}
	return b.Bytes(), nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// slotsJSON writes the slots in domain order, built-in slots last.
func (t *Tracker) slotsJSON() json.Marshaler {
	var b bytes.Buffer
	w := &writer{b: &b}
	b.WriteByte('{')
	done := map[string]bool{}
	for _, s := range t.domain.Slots {
		w.field(s.Name, t.slots[s.Name])
		done[s.Name] = true
	}
	for _, name := range t.SlotNames() {
		if !done[name] {
			w.field(name, t.slots[name])
		}
	}
	b.WriteByte('}')
	return rawJSON(b.Bytes())
}

// latestMessageJSON writes the parse_data of the latest user event.
func (t *Tracker) latestMessageJSON() json.Marshaler {
	if t.latestMessage == nil {
		return rawJSON(`{"intent":{},"entities":[],"text":null,"message_id":null,"metadata":{}}`)
	}
	data, err := json.Marshal(*t.latestMessage)
	if err != nil {
		return rawJSON("null")
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return rawJSON("null")
	}
	return rawJSON(m["parse_data"])
}

func (t *Tracker) activeLoopJSON() json.Marshaler {
	l := t.activeLoop
	if l == nil {
		return rawJSON("{}")
	}
	var b bytes.Buffer
	w := &writer{b: &b}
	b.WriteByte('{')
	w.field("name", l.Name)
	w.field("is_interrupted", l.IsInterrupted)
	w.field("rejected", l.Rejected)
	w.field("trigger_message", l.TriggerMessage)
	b.WriteByte('}')
	return rawJSON(b.Bytes())
}

func (t *Tracker) latestActionJSON() json.Marshaler {
	a := t.latestAction
	switch {
	case a == nil:
		return rawJSON("{}")
	case a.Name == "" && a.ActionText != "":
		return mustJSON(map[string]string{"action_text": a.ActionText})
	}
	return mustJSON(map[string]string{"action_name": a.Name})
}

type rawJSON []byte

func (r rawJSON) MarshalJSON() ([]byte, error) { return r, nil }

func mustJSON(v any) json.Marshaler {
	data, err := json.Marshal(v)
	if err != nil {
		return rawJSON("null")
	}
	return rawJSON(data)
}

// writer writes the members of a JSON object in order.
type writer struct {
	b   *bytes.Buffer
	n   int
	err error
}

func (w *writer) field(k string, v any) {
	data, err := json.Marshal(v)
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("tracker JSON %q: %w", k, err)
	}
	w.raw(k, rawJSON(data))
}

func (w *writer) raw(k string, v json.Marshaler) {
	if w.n > 0 {
		w.b.WriteByte(',')
	}
	w.n++
	key, _ := json.Marshal(k)
	w.b.Write(key)
	w.b.WriteByte(':')
	data, err := v.MarshalJSON()
	if err != nil && w.err == nil {
		w.err = err
	}
	if len(data) == 0 {
		data = []byte("null")
	}
	w.b.Write(data)
}
