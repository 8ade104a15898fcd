package event

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/parley-chat/parley/internal/nlu"
)

// MarshalJSON writes the event as Rasa's Event.as_dict does: "event" and
// "timestamp" first, "metadata" when it is not empty, then the fields of the
// type in Rasa's order. User and bot events always carry "metadata"; when it
// is empty it comes last, where Rasa's dict update puts it.
func (e Event) MarshalJSON() ([]byte, error) {
	var o object
	o.begin()
	o.str("event", e.Type)
	o.float("timestamp", e.Timestamp)
	if len(e.Metadata) > 0 {
		o.value("metadata", e.Metadata)
	}
	if err := e.writeFields(&o); err != nil {
		return nil, err
	}
	if (e.Type == User || e.Type == Bot) && len(e.Metadata) == 0 {
		o.value("metadata", map[string]any{})
	}
	return o.end()
}

// writeFields writes the fields that depend on the event type.
func (e Event) writeFields(o *object) error {
	switch e.Type {
	case User:
		o.strOrNull("text", e.Text)
		o.raw("parse_data", e.parseDataJSON())
		o.strOrNull("input_channel", e.InputChannel)
		o.strOrNull("message_id", e.MessageID)
	case Bot, Agent:
		o.strOrNull("text", e.Text)
		o.value("data", e.botData())
	case Action:
		o.strOrNull("name", e.Name)
		o.strOrNull("policy", e.Policy)
		o.floatPtr("confidence", e.Confidence)
		o.strOrNull("action_text", e.ActionText)
		o.boolean("hide_rule_turn", e.HideRuleTurn)
	case Slot:
		o.str("name", e.Name)
		o.value("value", e.Value)
	case EntitiesAdded:
		o.value("entities", entityList(e.Entities))
	case UserFeaturization:
		o.boolean("use_text_for_featurization", e.UseTextForFeaturization)
	case Followup:
		o.strOrNull("name", e.Name)
	case ActiveLoop:
		o.strOrNull("name", e.Name)
	case LoopInterrupted:
		o.boolean("is_interrupted", e.IsInterrupted)
	case ActionRejected:
		o.strOrNull("name", e.Name)
		o.strOrNull("policy", e.Policy)
		o.floatPtr("confidence", e.Confidence)
	case Reminder:
		o.strOrNull("intent", e.Intent)
		o.strOrNull("date_time", e.DateTime)
		o.value("entities", e.ReminderEntities)
		o.strOrNull("name", e.Name)
		o.boolean("kill_on_user_msg", e.KillOnUserMsg)
	case CancelReminder:
		o.strOrNull("name", e.Name)
		o.strOrNull("intent", e.Intent)
		o.value("entities", e.ReminderEntities)
	case Export:
		o.strOrNull("path", e.Path)
	case ResetSlots, Restart, SessionStarted, Rewind, Undo, Pause, Resume:
	default:
		return fmt.Errorf("%w: %q", ErrUnknownType, e.Type)
	}
	return o.err
}

// botData returns the "data" of a bot event with every key Rasa writes.
func (e Event) botData() *BotData {
	if e.Data == nil {
		return &BotData{}
	}
	return e.Data
}

func entityList(es []nlu.Entity) []nlu.Entity {
	if es == nil {
		return []nlu.Entity{}
	}
	return es
}

// parseDataJSON writes a user event's parse_data: intent, entities, text,
// message_id and metadata first, then the rest of the parse.
func (e Event) parseDataJSON() []byte {
	var p nlu.Parse
	if e.Parse != nil {
		p = *e.Parse
	}
	var o object
	o.begin()
	o.value("intent", p.Intent)
	o.value("entities", entityList(p.Entities))
	o.strOrNull("text", e.Text)
	o.strOrNull("message_id", e.MessageID)
	meta := e.Metadata
	if meta == nil {
		meta = map[string]any{}
	}
	o.value("metadata", meta)
	if len(p.TextTokens) > 0 {
		o.value("text_tokens", p.TextTokens)
	}
	ranking := p.IntentRanking
	if ranking == nil {
		ranking = []nlu.Intent{}
	}
	o.value("intent_ranking", ranking)
	if p.ResponseSelector != nil {
		o.value("response_selector", p.ResponseSelector)
	}
	b, err := o.end()
	if err != nil {
		return []byte("null")
	}
	return b
}

// object writes one JSON object with its keys in the order they are added.
type object struct {
	buf bytes.Buffer
	n   int
	err error
}

func (o *object) begin() { o.buf.WriteByte('{') }

func (o *object) end() ([]byte, error) {
	o.buf.WriteByte('}')
	if o.err != nil {
		return nil, o.err
	}
	return o.buf.Bytes(), nil
}

func (o *object) key(k string) {
	if o.n > 0 {
		o.buf.WriteByte(',')
	}
	o.n++
	o.buf.Write(marshal(k, &o.err))
	o.buf.WriteByte(':')
}

func (o *object) str(k, v string) {
	o.key(k)
	o.buf.Write(marshal(v, &o.err))
}

// strOrNull writes an empty string as null, as Rasa writes a missing name.
func (o *object) strOrNull(k, v string) {
	if v == "" {
		o.key(k)
		o.buf.WriteString("null")
		return
	}
	o.str(k, v)
}

func (o *object) float(k string, f float64) {
	o.key(k)
	o.buf.Write(appendFloat(nil, f))
}

func (o *object) floatPtr(k string, f *float64) {
	if f == nil {
		o.key(k)
		o.buf.WriteString("null")
		return
	}
	o.float(k, *f)
}

func (o *object) boolean(k string, v bool) {
	o.key(k)
	if v {
		o.buf.WriteString("true")
	} else {
		o.buf.WriteString("false")
	}
}

func (o *object) value(k string, v any) {
	o.key(k)
	o.buf.Write(marshal(v, &o.err))
}

func (o *object) raw(k string, v []byte) {
	o.key(k)
	o.buf.Write(v)
}

// marshal encodes v without HTML escaping (Rasa writes "<" as is); the
// first error is kept in *err.
func marshal(v any, err *error) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if e := enc.Encode(v); e != nil {
		if *err == nil {
			*err = fmt.Errorf("%w: %w", ErrInvalid, e)
		}
		return []byte("null")
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}
