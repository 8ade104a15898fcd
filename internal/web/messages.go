package web

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"strings"

	"github.com/parley-chat/parley/internal/channel"
	"github.com/parley-chat/parley/internal/event"
)

// Message is one chat bubble as the chat API sends it. The page's script
// builds it with textContent only, so no field is ever read as markup.
type Message struct {
	// From is "user" or "bot".
	From string `json:"from"`
	// Text is the plain text; Parts is the same text cut into plain runs
	// and http(s) links.
	Text  string `json:"text,omitempty"`
	Parts []Part `json:"parts,omitempty"`
	// Buttons are buttons or quick replies: clicking one sends Payload
	// and shows Title.
	Buttons []Button `json:"buttons,omitempty"`
	// Image is an http(s) image address.
	Image string `json:"image,omitempty"`
	// Custom is a custom payload, attachment or elements, as indented JSON.
	Custom string `json:"custom,omitempty"`
}

// Part is a run of text; with Href it is a link.
type Part struct {
	Text string `json:"text"`
	Href string `json:"href,omitempty"`
}

// Button is a button or quick reply of a bot message.
type Button struct {
	Title   string `json:"title"`
	Payload string `json:"payload"`
}

// parleyMeta is the metadata key the web app puts on user messages:
// {"parley": {"title": "..."}} for a clicked button, {"parley":
// {"greeting": true}} for the greeting.
const parleyMeta = "parley"

// historyMessages returns the bubbles of a conversation's events: user
// messages (a button click shows its title; the greeting is hidden) and
// bot messages.
func historyMessages(events []event.Event) []Message {
	out := []Message{}
	for _, ev := range events {
		switch ev.Type {
		case event.User:
			meta, _ := ev.Metadata[parleyMeta].(map[string]any)
			if greeting, _ := meta["greeting"].(bool); greeting {
				continue
			}
			text := ev.Text
			if title, ok := meta["title"].(string); ok && title != "" {
				text = title
			}
			out = append(out, Message{From: "user", Text: text})
		case event.Bot:
			out = append(out, botMessage(ev))
		}
	}
	return out
}

// botMessages returns the bubbles of a turn's bot events.
func botMessages(events []event.Event) []Message {
	out := []Message{}
	for _, ev := range events {
		if ev.Type == event.Bot {
			out = append(out, botMessage(ev))
		}
	}
	return out
}

// botMessage returns the bubble of one bot event.
func botMessage(ev event.Event) Message {
	m := Message{From: "bot", Text: ev.Text, Parts: linkParts(ev.Text)}
	if ev.Data == nil {
		return m
	}
	d := ev.Data
	for _, b := range append(d.Buttons, d.QuickReplies...) {
		m.Buttons = append(m.Buttons, Button{Title: field(b, "title"),
			Payload: field(b, "payload")})
	}
	extra := map[string]any{}
	if img, ok := d.Image.(string); ok && isWebURL(img) {
		m.Image = img
	} else if channel.IsSet(d.Image) {
		extra["image"] = d.Image
	}
	for k, v := range map[string]any{"custom": d.Custom, "attachment": d.Attachment} {
		if channel.IsSet(v) && !(k == "attachment" && reflect.DeepEqual(v, d.Image)) {
			extra[k] = v
		}
	}
	if len(d.Elements) > 0 {
		extra["elements"] = d.Elements
	}
	if len(extra) == 1 {
		for _, v := range extra {
			m.Custom = readable(v)
		}
	} else if len(extra) > 1 {
		m.Custom = readable(extra)
	}
	return m
}

// field returns a button's field as text.
func field(b map[string]any, key string) string {
	switch v := b[key].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return readable(v)
	}
}

// readable returns v as indented JSON, with <, > and & as they are: the
// page shows it as text (textContent), never as markup.
func readable(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// isWebURL reports whether s is an absolute http or https address.
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// linkPattern finds http(s) addresses in text.
var linkPattern = regexp.MustCompile(`https?://[^\s<>"'` + "`" + `]+`)

// linkParts cuts text into plain runs and links. A link keeps only http
// and https addresses; trailing punctuation stays text.
func linkParts(text string) []Part {
	locs := linkPattern.FindAllStringIndex(text, -1)
	if len(locs) == 0 {
		return nil
	}
	var parts []Part
	prev := 0
	for _, loc := range locs {
		start, end := loc[0], loc[1]
		end = start + len(strings.TrimRight(text[start:end], ".,;:!?)]}"))
		if !isWebURL(text[start:end]) {
			continue
		}
		if start > prev {
			parts = append(parts, Part{Text: text[prev:start]})
		}
		parts = append(parts, Part{Text: text[start:end], Href: text[start:end]})
		prev = end
	}
	if prev < len(text) {
		parts = append(parts, Part{Text: text[prev:]})
	}
	return parts
}
