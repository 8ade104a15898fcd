package socketio

import (
	"strings"

	"github.com/parley-chat/parley/internal/channel"
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
	for _, p := range channel.Parts(events) {
		switch p.Kind {
		case channel.Text:
			out = append(out, textMessages(p)...)
		default:
			out = append(out, extraMessage(p))
		}
	}
	return out
}

// textMessages returns the text part of one bot event.
func textMessages(p channel.Part) []Message {
	buttons := p.QuickReplies
	if len(buttons) == 0 {
		buttons = p.Buttons
	}
	text := strings.TrimSpace(p.Text)
	if len(buttons) == 0 {
		var out []Message
		for _, part := range channel.SplitText(text) {
			out = append(out, Message{"text": part})
		}
		return out
	}
	var out []Message
	for part := range strings.SplitSeq(text, "\n\n") {
		out = append(out, Message{"text": part})
	}
	replies := make([]any, 0, len(buttons))
	for _, b := range buttons {
		replies = append(replies, map[string]any{"content_type": "text",
			"title": b["title"], "payload": b["payload"]})
	}
	out[len(out)-1]["quick_replies"] = replies
	return out
}

// extraMessage returns a custom, image, attachment or elements part.
func extraMessage(p channel.Part) Message {
	switch p.Kind {
	case channel.Custom:
		if m, ok := p.Value.(map[string]any); ok {
			return m
		}
		return Message{"custom": p.Value}
	case channel.Image:
		return Message{"attachment": map[string]any{"type": "image",
			"payload": map[string]any{"src": p.Value}}}
	case channel.Attachment:
		return Message{"attachment": p.Value}
	}
	return Message{"attachment": map[string]any{"type": "template",
		"payload": map[string]any{"template_type": "generic", "elements": p.Value}}}
}
