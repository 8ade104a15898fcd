package broker

import (
	"encoding/json"
	"fmt"

	"github.com/parley-chat/parley/internal/event"
)

// Encode returns the broker message of one event of conversation senderID:
// the event's JSON with "sender_id" as its first key.
func Encode(senderID string, ev event.Event) (Message, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return Message{}, fmt.Errorf("broker: encoding a %s event: %w", ev.Type, err)
	}
	id, err := json.Marshal(senderID)
	if err != nil {
		return Message{}, err
	}
	out := make([]byte, 0, len(body)+len(id)+14)
	out = append(out, `{"sender_id":`...)
	out = append(out, id...)
	if len(body) > 2 {
		out = append(out, ',')
	}
	out = append(out, body[1:]...)
	return Message{SenderID: senderID, Body: out}, nil
}
