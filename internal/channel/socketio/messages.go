package socketio

import (
	"reflect"
	"strings"

	"github.com/parley-chat/parley/internal/event"
)

// Message is one message emitted on bot_message_evt.
type Message = map[string]any

// Messages turns a turn's bot events into the messages Rasa's socket.io
// channel emits, in order:
//   - text with buttons or quick replies: one message per blank-line
//     separated part, the buttons as quick_replies on the last part
//     ({"content_type": "text", "title", "payload"});
//   - other text: one {"text"} per part;
//   - custom: the custom JSON as it is;
//   - image: {"attachment": {"type": "image", "payload": {"src": url}}};
//   - attachment: {"attachment": ...};
//   - elements: a generic template attachment.
func Messages(events []event.Event) []Message {
	var out []Message
	for _, ev := range events {
		if ev.Type != event.Bot {
			continue
		}
		var data event.BotData
		if ev.Data != nil {
			data = *ev.Data
		}
		out = append(out, textMessages(ev.Text, data)...)
		out = append(out, extraMessages(data)...)
	}
	return out
}

// textMessages returns the text part of one bot event.
func textMessages(text string, data event.BotData) []Message {
	buttons := data.QuickReplies
	if len(buttons) == 0 {
		buttons = data.Buttons
	}
	var out []Message
	for part := range strings.SplitSeq(strings.TrimSpace(text), "\n\n") {
		if len(buttons) > 0 || strings.TrimSpace(part) != "" {
			out = append(out, Message{"text": part})
		}
	}
	if len(buttons) == 0 {
		return out
	}
	replies := make([]any, 0, len(buttons))
	for _, b := range buttons {
		replies = append(replies, map[string]any{"content_type": "text",
			"title": b["title"], "payload": b["payload"]})
	}
	out[len(out)-1]["quick_replies"] = replies
	return out
}

// extraMessages returns custom, image, attachment and elements.
func extraMessages(data event.BotData) []Message {
	var out []Message
	if m, ok := data.Custom.(map[string]any); ok && len(m) > 0 {
		out = append(out, m)
	} else if isSet(data.Custom) {
		out = append(out, Message{"custom": data.Custom})
	}
	if isSet(data.Image) {
		out = append(out, Message{"attachment": map[string]any{"type": "image",
			"payload": map[string]any{"src": data.Image}}})
	}
	// Rasa's bot events carry the image again as attachment for old
	// clients; it is sent once.
	if isSet(data.Attachment) && !reflect.DeepEqual(data.Attachment, data.Image) {
		out = append(out, Message{"attachment": data.Attachment})
	}
	if len(data.Elements) > 0 {
		out = append(out, Message{"attachment": map[string]any{"type": "template",
			"payload": map[string]any{"template_type": "generic", "elements": data.Elements}}})
	}
	return out
}

// isSet reports whether a bot data field holds something to send.
func isSet(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case map[string]any:
		return len(x) > 0
	}
	return true
}
