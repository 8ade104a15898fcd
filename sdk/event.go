package sdk

import (
	"fmt"
	"maps"
	"time"
)

// Event is one conversation event as JSON, the way the Rasa SDK writes
// events: a map with an "event" type name, a "timestamp" (null lets the bot
// stamp it) and the fields of the type. Build events with the constructors
// of this package; read the events of a tracker with Type and the map.
type Event map[string]any

// Type returns the event's type name, such as "slot" or "user".
func (e Event) Type() string {
	s, _ := e["event"].(string)
	return s
}

// With returns a copy of the event with key set to value, for the optional
// fields the constructors leave null (for example the "policy" of
// ActionExecuted).
func (e Event) With(key string, value any) Event {
	c := maps.Clone(e)
	if c == nil {
		c = Event{}
	}
	c[key] = value
	return c
}

// At returns a copy of the event stamped with t (as float unix seconds).
func (e Event) At(t time.Time) Event {
	return e.With("timestamp", float64(t.UnixNano())/1e9)
}

// WithMetadata returns a copy of the event carrying metadata.
func (e Event) WithMetadata(metadata map[string]any) Event {
	return e.With("metadata", metadata)
}

// newEvent returns an event of the type with a null timestamp and the
// given key-value pairs.
func newEvent(typ string, kv ...any) Event {
	e := Event{"event": typ, "timestamp": nil}
	for i := 0; i+1 < len(kv); i += 2 {
		e[kv[i].(string)] = kv[i+1]
	}
	return e
}

// orNull returns nil for the empty string, which JSON writes as null.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// SlotSet sets a slot; a nil value resets it.
func SlotSet(name string, value any) Event { return newEvent("slot", "name", name, "value", value) }

// AllSlotsReset puts every slot back to its initial value.
func AllSlotsReset() Event { return newEvent("reset_slots") }

// FollowupAction makes the bot run the named action next, without a
// prediction.
func FollowupAction(name string) Event { return newEvent("followup", "name", name) }

// ActiveLoop activates the named loop (a form); an empty name deactivates
// the active loop.
func ActiveLoop(name string) Event { return newEvent("active_loop", "name", orNull(name)) }

// LoopInterrupted marks the active loop as interrupted (the user left its
// happy path) or not.
func LoopInterrupted(isInterrupted bool) Event {
	return newEvent("loop_interrupted", "is_interrupted", isInterrupted)
}

// ActionExecuted logs that the named action ran. Set "policy" and
// "confidence" with Event.With when they matter.
func ActionExecuted(name string) Event {
	return newEvent("action", "name", name, "policy", nil, "confidence", nil)
}

// ActionExecutionRejected logs that the named action rejected to run.
func ActionExecutionRejected(name string) Event {
	return newEvent("action_execution_rejected", "name", name, "policy", nil, "confidence", nil)
}

// UserUttered adds a user message. parseData is the NLU result ("intent",
// "entities", ...) and may be nil; an empty inputChannel is written as null.
func UserUttered(text string, parseData map[string]any, inputChannel string) Event {
	var pd any
	if parseData != nil {
		pd = parseData
	}
	return newEvent("user", "text", text, "parse_data", pd, "input_channel", orNull(inputChannel))
}

// BotUttered logs a bot message. data holds "buttons", "image", "custom" and
// the like; nil data and metadata are written as empty objects.
func BotUttered(text string, data, metadata map[string]any) Event {
	if data == nil {
		data = map[string]any{}
	}
	if metadata == nil {
		metadata = map[string]any{}
	}
	return newEvent("bot", "text", orNull(text), "data", data, "metadata", metadata)
}

// AgentUttered logs a message of a human agent (a legacy event).
func AgentUttered(text string, data any) Event {
	return newEvent("agent", "text", orNull(text), "data", data)
}

// EntitiesAdded adds entities to the latest user message.
func EntitiesAdded(entities []Entity) Event {
	if entities == nil {
		entities = []Entity{}
	}
	return newEvent("entities", "entities", entities)
}

// UserFeaturization records whether the text (true) or the intent (false)
// of the previous user message was used for prediction.
func UserFeaturization(useText bool) Event {
	return newEvent("user_featurization", "use_text_for_featurization", useText)
}

// Restarted resets the conversation: what came before is ignored.
func Restarted() Event { return newEvent("restart") }

// SessionStarted starts a new conversation session.
func SessionStarted() Event { return newEvent("session_started") }

// UserUtteranceReverted undoes everything back to and including the latest
// user message.
func UserUtteranceReverted() Event { return newEvent("rewind") }

// ActionReverted undoes the latest action and its events.
func ActionReverted() Event { return newEvent("undo") }

// ConversationPaused stops the bot from predicting until the conversation
// is resumed.
func ConversationPaused() Event { return newEvent("pause") }

// ConversationResumed ends a pause.
func ConversationResumed() Event { return newEvent("resume") }

// StoryExported logs an export of the conversation as a story; an empty
// path leaves the "path" field out.
func StoryExported(path string) Event {
	if path == "" {
		return newEvent("export")
	}
	return newEvent("export", "path", path)
}

// Reminder describes a reminder for ReminderScheduled.
type Reminder struct {
	// Intent is the intent the bot receives when the reminder fires.
	Intent string
	// At is when it fires.
	At time.Time
	// Entities are passed along with the intent (a list or a map); may be
	// nil.
	Entities any
	// Name identifies the reminder, to cancel or replace it; may be empty.
	Name string
	// KeepOnUserMessage keeps the reminder when the user writes before it
	// fires; by default a user message cancels it.
	KeepOnUserMessage bool
}

// ReminderScheduled schedules a reminder.
func ReminderScheduled(r Reminder) Event {
	return newEvent("reminder", "intent", r.Intent, "date_time", isoFormat(r.At),
		"entities", r.Entities, "name", orNull(r.Name), "kill_on_user_msg", !r.KeepOnUserMessage)
}

// ReminderCancelled cancels the reminders that match every non-empty
// argument: the name, the intent and the entities.
func ReminderCancelled(name, intent string, entities any) Event {
	return newEvent("cancel_reminder", "name", orNull(name), "intent", orNull(intent),
		"entities", entities)
}

// isoFormat writes t as Python's datetime.isoformat does: microseconds only
// when there are any, and the UTC offset.
func isoFormat(t time.Time) string {
	s := t.Format("2006-01-02T15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	return s + t.Format("-07:00")
}
