package channel

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parley-chat/parley/internal/event"
)

func TestParts(t *testing.T) {
	buttons := []map[string]any{{"title": "Yes", "payload": "/affirm"}}
	events := []event.Event{
		{Type: event.User, Text: "hi"},
		{Type: event.Bot, Text: "Look", Data: &event.BotData{Buttons: buttons,
			Image: "https://x/i.png", Attachment: "https://x/i.png",
			Custom: map[string]any{"k": "v"}, Elements: []any{"e"}}},
		{Type: event.Action, Name: "utter_x"},
		{Type: event.Bot, Data: &event.BotData{Attachment: "file.pdf",
			Custom: map[string]any{}, Image: ""}},
	}
	want := []Part{
		{Kind: Text, Text: "Look", Buttons: buttons},
		{Kind: Custom, Value: map[string]any{"k": "v"}},
		{Kind: Image, Value: "https://x/i.png"},
		{Kind: Elements, Value: []any{"e"}},
		{Kind: Text},
		{Kind: Attachment, Value: "file.pdf"},
	}
	if diff := cmp.Diff(want, Parts(events)); diff != "" {
		t.Errorf("Parts (-want +got):\n%s", diff)
	}
	if got := Parts([]event.Event{{Type: event.User}}); got != nil {
		t.Errorf("Parts of no bot events = %v, want nil", got)
	}
}

func TestSplitText(t *testing.T) {
	got := SplitText(" one\n\ntwo\nlines\n\n\n\n  \n\nthree")
	if want := []string{" one", "two\nlines", "three"}; !slices.Equal(got, want) {
		t.Errorf("SplitText = %q, want %q", got, want)
	}
	if got := SplitText("  "); got != nil {
		t.Errorf("SplitText of white space = %q, want nothing", got)
	}
}
