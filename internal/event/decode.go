package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/parley-chat/parley/internal/nlu"
)

// UnmarshalJSON reads an event dict as Rasa writes it. Unknown or null fields
// may be left out. The 2.x names "form" (for active_loop) and
// "form_validation" (for loop_interrupted, with the inverse flag "validate")
// are accepted. An unknown "event" name gives an error wrapping
// ErrUnknownType.
func (e *Event) UnmarshalJSON(data []byte) error {
	var f fields
	if err := json.Unmarshal(data, &f.m); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if f.m == nil {
		return fmt.Errorf("%w: not an object", ErrInvalid)
	}
	*e = Event{}
	f.str("event", &e.Type)
	if e.Type == "" {
		return fmt.Errorf("%w: no \"event\" name", ErrInvalid)
	}
	f.number("timestamp", &e.Timestamp)
	f.any("metadata", &e.Metadata)
	if err := e.readFields(&f); err != nil {
		return err
	}
	if f.err != nil {
		return fmt.Errorf("%w: %s event: %w", ErrInvalid, e.Type, f.err)
	}
	e.normalise()
	return nil
}

// normalise gives a decoded event one representation whatever optional
// fields the JSON left out, so that decoding is stable over a round trip.
func (e *Event) normalise() {
	if len(e.Metadata) == 0 {
		e.Metadata = nil
	}
	switch e.Type {
	case Bot, Agent:
		if e.Data == nil {
			e.Data = &BotData{}
		}
	case User:
		if e.Parse == nil {
			e.Parse = &nlu.Parse{Text: e.Text}
		}
		if len(e.Parse.Entities) == 0 {
			e.Parse.Entities = nil
		}
		if len(e.Parse.IntentRanking) == 0 {
			e.Parse.IntentRanking = nil
		}
	}
}

// readFields reads the fields that depend on the event type.
func (e *Event) readFields(f *fields) error {
	switch e.Type {
	case User:
		e.readUser(f)
	case Bot, Agent:
		f.str("text", &e.Text)
		f.any("data", &e.Data)
	case Action:
		f.str("name", &e.Name)
		f.str("policy", &e.Policy)
		f.any("confidence", &e.Confidence)
		f.str("action_text", &e.ActionText)
		f.any("hide_rule_turn", &e.HideRuleTurn)
	case Slot:
		f.str("name", &e.Name)
		f.any("value", &e.Value)
	case EntitiesAdded:
		f.any("entities", &e.Entities)
	case UserFeaturization:
		f.any("use_text_for_featurization", &e.UseTextForFeaturization)
	case Followup, ActiveLoop:
		f.str("name", &e.Name)
	case "form":
		e.Type = ActiveLoop
		f.str("name", &e.Name)
	case LoopInterrupted:
		f.any("is_interrupted", &e.IsInterrupted)
	case "form_validation":
		e.Type = LoopInterrupted
		validate := true
		f.any("validate", &validate)
		e.IsInterrupted = !validate
	case ActionRejected:
		f.str("name", &e.Name)
		f.str("policy", &e.Policy)
		f.any("confidence", &e.Confidence)
	case Reminder, CancelReminder:
		// Rasa kills a reminder on a user message unless told otherwise.
		e.KillOnUserMsg = e.Type == Reminder
		f.str("intent", &e.Intent)
		f.str("date_time", &e.DateTime)
		f.any("entities", &e.ReminderEntities)
		f.str("name", &e.Name)
		f.any("kill_on_user_msg", &e.KillOnUserMsg)
	case Export:
		f.str("path", &e.Path)
	case ResetSlots, Restart, SessionStarted, Rewind, Undo, Pause, Resume:
	default:
		return fmt.Errorf("%w: %q", ErrUnknownType, e.Type)
	}
	return nil
}

// readUser reads a user event; message_id and metadata missing at the top
// level are taken from parse_data.
func (e *Event) readUser(f *fields) {
	f.str("text", &e.Text)
	f.str("input_channel", &e.InputChannel)
	f.str("message_id", &e.MessageID)
	raw, ok := f.m["parse_data"]
	if !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return
	}
	var p nlu.Parse
	if err := json.Unmarshal(raw, &p); err != nil {
		f.fail("parse_data", err)
		return
	}
	var extra struct {
		MessageID string         `json:"message_id"`
		Metadata  map[string]any `json:"metadata"`
	}
	_ = json.Unmarshal(raw, &extra) // same bytes as above; types checked loosely
	if e.MessageID == "" {
		e.MessageID = extra.MessageID
	}
	if e.Metadata == nil && len(extra.Metadata) > 0 {
		e.Metadata = extra.Metadata
	}
	if p.Text == "" {
		p.Text = e.Text
	}
	e.Parse = &p
}

// fields reads the members of one event object, keeping the first error.
type fields struct {
	m   map[string]json.RawMessage
	err error
}

func (f *fields) fail(key string, err error) {
	if f.err == nil {
		f.err = fmt.Errorf("field %q: %w", key, err)
	}
}

// str reads a string; null or a missing key leaves dst empty.
func (f *fields) str(key string, dst *string) {
	raw, ok := f.m[key]
	if !ok || isNull(raw) {
		return
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		f.fail(key, err)
	}
}

// number reads a float that may also be written as an integer.
func (f *fields) number(key string, dst *float64) {
	f.any(key, dst)
}

// any reads any JSON value; null or a missing key leaves dst as it is.
func (f *fields) any(key string, dst any) {
	raw, ok := f.m[key]
	if !ok || isNull(raw) {
		return
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		f.fail(key, err)
	}
}

func isNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// DecodeList reads a JSON array of events. Events of an unknown type are
// dropped, as Rasa drops them; each is reported in skipped (with its index)
// so that the caller can log a warning. Any other problem is an error.
func DecodeList(data []byte) (events []Event, skipped []error, err error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, nil, fmt.Errorf("%w: events must be a JSON list: %w", ErrInvalid, err)
	}
	events = make([]Event, 0, len(raws))
	for i, raw := range raws {
		var e Event
		err := e.UnmarshalJSON(raw)
		switch {
		case err == nil:
			events = append(events, e)
		case isUnknown(err):
			skipped = append(skipped, fmt.Errorf("event %d dropped: %w", i, err))
		default:
			return nil, skipped, fmt.Errorf("event %d: %w", i, err)
		}
	}
	return events, skipped, nil
}

func isUnknown(err error) bool { return errors.Is(err, ErrUnknownType) }
