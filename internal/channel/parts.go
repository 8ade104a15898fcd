// Package channel holds what Parley's output channels share: which parts
// of a turn's bot utterances they send, in which order. Each channel (the
// REST webhook, socket.io, the web chat) writes the parts in its own wire
// format.
package channel

import (
	"reflect"
	"strings"

	"github.com/parley-chat/parley/internal/event"
)

// PartKind says what a Part holds.
type PartKind int

// The kinds of Part, in the order Parts gives them for one utterance.
const (
	// Text is the utterance's text, with its buttons and quick replies.
	Text PartKind = iota
	// Custom is the custom JSON payload, in Value.
	Custom
	// Image is the image URL (or object), in Value.
	Image
	// Attachment is the attachment, in Value.
	Attachment
	// Elements are the template elements, in Value ([]any).
	Elements
)

// Part is one piece of a bot utterance that a channel sends.
type Part struct {
	Kind PartKind
	// Text, Buttons and QuickReplies are set on Text parts.
	Text         string
	Buttons      []map[string]any
	QuickReplies []map[string]any
	// Value is the content of the other kinds.
	Value any
}

// Parts returns what the bot events among events say, in order. Each bot
// utterance gives a Text part (possibly empty: the channel decides what an
// empty text sends), then its custom payload, image, attachment and
// elements, each only when set. An attachment equal to the image is the
// copy that Rasa's bot events carry for old clients, and is left out.
func Parts(events []event.Event) []Part {
	var out []Part
	for _, ev := range events {
		if ev.Type != event.Bot {
			continue
		}
		var data event.BotData
		if ev.Data != nil {
			data = *ev.Data
		}
		out = append(out, Part{Kind: Text, Text: ev.Text, Buttons: data.Buttons,
			QuickReplies: data.QuickReplies})
		if IsSet(data.Custom) {
			out = append(out, Part{Kind: Custom, Value: data.Custom})
		}
		if IsSet(data.Image) {
			out = append(out, Part{Kind: Image, Value: data.Image})
		}
		if IsSet(data.Attachment) && !reflect.DeepEqual(data.Attachment, data.Image) {
			out = append(out, Part{Kind: Attachment, Value: data.Attachment})
		}
		if len(data.Elements) > 0 {
			out = append(out, Part{Kind: Elements, Value: data.Elements})
		}
	}
	return out
}

// SplitText cuts text at blank lines ("\n\n") into the messages a channel
// sends one by one, leaving out parts that are only white space.
func SplitText(text string) []string {
	var out []string
	for part := range strings.SplitSeq(text, "\n\n") {
		if strings.TrimSpace(part) != "" {
			out = append(out, part)
		}
	}
	return out
}

// IsSet reports whether a bot data field holds something to send or show:
// not nil, not an empty string, not an empty object.
func IsSet(v any) bool {
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
