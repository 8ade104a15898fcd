package server

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parley-chat/parley/internal/event"
)

func TestBotMessages(t *testing.T) {
	buttons := []map[string]any{{"title": "Yes", "payload": "/affirm"}}
	cases := []struct {
		name string
		ev   event.Event
		want []BotMessage
	}{
		{"text split on blank lines",
			event.Event{Type: event.Bot, Text: "one\n\ntwo\nlines\n\n\n\nthree"},
			[]BotMessage{{Text: "one"}, {Text: "two\nlines"}, {Text: "three"}}},
		{"buttons stay with their text",
			event.Event{Type: event.Bot, Text: "Sure?\n\nReally?", Data: &event.BotData{Buttons: buttons}},
			[]BotMessage{{Text: "Sure?\n\nReally?", Buttons: buttons}}},
		{"quick replies stay with their text",
			event.Event{Type: event.Bot, Text: "Pick", Data: &event.BotData{QuickReplies: buttons}},
			[]BotMessage{{Text: "Pick", QuickReplies: buttons}}},
		{"custom, image, attachment, elements each alone, in order",
			event.Event{Type: event.Bot, Text: "Look", Data: &event.BotData{
				Image: "https://x/i.png", Custom: map[string]any{"k": "v"},
				Attachment: "file.pdf", Elements: []any{"e"}}},
			[]BotMessage{{Text: "Look"}, {Custom: map[string]any{"k": "v"}}, {Image: "https://x/i.png"},
				{Attachment: "file.pdf"}, {Elements: []any{"e"}}}},
		{"an attachment equal to the image is not sent twice",
			event.Event{Type: event.Bot, Text: "Here is something to cheer you up:",
				Data: &event.BotData{Image: "https://x/i.png", Attachment: "https://x/i.png"}},
			[]BotMessage{{Text: "Here is something to cheer you up:"}, {Image: "https://x/i.png"}}},
		{"emoji come back byte for byte",
			event.Event{Type: event.Bot, Text: "👍🏽 🇯🇵 👩‍💻"},
			[]BotMessage{{Text: "👍🏽 🇯🇵 👩‍💻"}}},
		{"other events are not messages",
			event.Event{Type: event.Action, Name: "utter_greet"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i := range c.want {
				c.want[i].RecipientID = "u"
			}
			got := BotMessages("u", []event.Event{c.ev})
			if diff := cmp.Diff(c.want, got, cmpEmpty); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// cmpEmpty treats nil and empty message lists alike.
var cmpEmpty = cmp.FilterValues(func(a, b []BotMessage) bool {
	return len(a) == 0 && len(b) == 0
}, cmp.Comparer(func(a, b []BotMessage) bool { return true }))
