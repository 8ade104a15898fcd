package web

import (
	"reflect"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/event"
)

func TestLinkParts(t *testing.T) {
	cases := []struct {
		text string
		want []Part
	}{
		{"no links here", nil},
		{"see https://rasa.com/docs.", []Part{{Text: "see "},
			{Text: "https://rasa.com/docs", Href: "https://rasa.com/docs"}, {Text: "."}}},
		{"http://a.example/x?y=1 and javascript:alert(1)", []Part{
			{Text: "http://a.example/x?y=1", Href: "http://a.example/x?y=1"},
			{Text: " and javascript:alert(1)"}}},
		{`<a href="https://x.example">`, []Part{{Text: `<a href="`},
			{Text: "https://x.example", Href: "https://x.example"}, {Text: `">`}}},
		{"https://", nil},
	}
	for _, c := range cases {
		if got := linkParts(c.text); !reflect.DeepEqual(got, c.want) {
			t.Errorf("linkParts(%q) = %+v, want %+v", c.text, got, c.want)
		}
	}
}

func TestBotMessage(t *testing.T) {
	ev := event.Event{Type: event.Bot, Text: "pick\none", Data: &event.BotData{
		QuickReplies: []map[string]any{{"title": "Yes", "payload": "/affirm"}},
		Image:        "javascript:alert(1)",
		Custom:       map[string]any{"card": "x", "html": "<i>a</i> & b"},
	}}
	m := botMessage(ev)
	if m.Text != "pick\none" || len(m.Buttons) != 1 || m.Buttons[0].Title != "Yes" ||
		m.Image != "" {
		t.Fatalf("message: %+v", m)
	}
	if !strings.Contains(m.Custom, `"card": "x"`) || !strings.Contains(m.Custom,
		"javascript:alert(1)") {
		t.Errorf("custom and unsafe image not shown as text: %q", m.Custom)
	}
	if !strings.Contains(m.Custom, `"<i>a</i> & b"`) {
		t.Errorf("custom payload text is escaped for HTML instead of readable: %q", m.Custom)
	}
	img := botMessage(event.Event{Type: event.Bot, Data: &event.BotData{
		Image: "https://i.example/a.png", Attachment: "https://i.example/a.png"}})
	if img.Image != "https://i.example/a.png" || img.Custom != "" {
		t.Errorf("image: %+v", img)
	}
}

func TestHistoryMessages(t *testing.T) {
	events := []event.Event{
		{Type: event.Action, Name: "action_session_start"},
		{Type: event.User, Text: "/greet", Metadata: map[string]any{
			parleyMeta: map[string]any{"greeting": true}}},
		{Type: event.Bot, Text: "Hi"},
		{Type: event.User, Text: "/mood_great", Metadata: map[string]any{
			parleyMeta: map[string]any{"title": "great"}}},
		{Type: event.User, Text: "typed"},
		{Type: event.Bot, Text: "ok"},
	}
	got := texts(historyMessages(events))
	want := []string{"bot: Hi", "user: great", "user: typed", "bot: ok"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("history = %q, want %q", got, want)
	}
}

func FuzzLinkParts(f *testing.F) {
	for _, s := range []string{"see https://a.example/x.", "http://", "x https://[::1]:80/ y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var b strings.Builder
		for _, p := range linkParts(text) {
			b.WriteString(p.Text)
			if p.Href != "" && (p.Href != p.Text || !isWebURL(p.Href)) {
				t.Fatalf("bad link %+v in %q", p, text)
			}
		}
		if got := b.String(); got != "" && got != text {
			t.Fatalf("parts %q do not rebuild %q", got, text)
		}
	})
}
