package web

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
)

// maxRunnersUp is how many runner-up intents a turn shows.
const maxRunnersUp = 3

// turnView is one turn on the inspector: the user message and what the
// bot did after it. The first turn may have no user message (the session
// start).
type turnView struct {
	N     int
	Time  string
	User  *userView
	Steps []stepView
}

// userView is a user message with its parse.
type userView struct {
	Text       string
	Title      string
	Intent     string
	Confidence float64
	RunnersUp  []nlu.Intent
	Entities   []entityView
}

// entityView is one extracted entity.
type entityView struct {
	Entity     string
	Value      string
	Extractor  string
	Role       string
	Group      string
	Confidence string
}

// stepView is one event after the user message: Kind is "action", "bot",
// "slot" or "event".
type stepView struct {
	Kind       string
	Name       string
	Policy     string
	Confidence string
	Text       string
}

// buildTurns cuts a conversation into turns at its user messages.
func buildTurns(events []event.Event) []turnView {
	var turns []turnView
	users := 0
	for _, ev := range events {
		if ev.Type == event.User {
			users++
			turns = append(turns, turnView{N: users, Time: formatTime(ev.Timestamp),
				User: userOf(ev)})
			continue
		}
		if len(turns) == 0 {
			turns = append(turns, turnView{Time: formatTime(ev.Timestamp)})
		}
		last := &turns[len(turns)-1]
		last.Steps = append(last.Steps, stepOf(ev))
	}
	return turns
}

// userOf returns the view of a user event.
func userOf(ev event.Event) *userView {
	u := &userView{Text: ev.Text}
	if meta, ok := ev.Metadata[parleyMeta].(map[string]any); ok {
		u.Title, _ = meta["title"].(string)
		if g, _ := meta["greeting"].(bool); g {
			u.Title = "greeting"
		}
	}
	if ev.Parse == nil {
		return u
	}
	u.Intent, u.Confidence = ev.Parse.Intent.Name, ev.Parse.Intent.Confidence
	for _, in := range ev.Parse.IntentRanking {
		if in.Name != u.Intent && len(u.RunnersUp) < maxRunnersUp {
			u.RunnersUp = append(u.RunnersUp, in)
		}
	}
	for _, e := range ev.Parse.Entities {
		v := entityView{Entity: e.Entity, Value: valueText(e.Value), Extractor: e.Extractor,
			Role: e.Role, Group: e.Group}
		if c, ok := e.Certainty(); ok {
			v.Confidence = fmt.Sprintf("%.1f%%", 100*c)
		}
		u.Entities = append(u.Entities, v)
	}
	return u
}

// stepOf returns the view of an event after a user message.
func stepOf(ev event.Event) stepView {
	switch ev.Type {
	case event.Action:
		s := stepView{Kind: "action", Name: ev.Name, Policy: ev.Policy}
		if ev.Confidence != nil {
			s.Confidence = fmt.Sprintf("%.1f%%", 100**ev.Confidence)
		}
		return s
	case event.Bot:
		return stepView{Kind: "bot", Text: botSummary(ev)}
	case event.Slot:
		return stepView{Kind: "slot", Name: ev.Name, Text: valueText(ev.Value)}
	case event.EntitiesAdded:
		return stepView{Kind: "event", Name: ev.Type, Text: fmt.Sprintf("%d entities",
			len(ev.Entities))}
	}
	return stepView{Kind: "event", Name: ev.Type, Text: ev.Name}
}

// botSummary is a bot utterance in one line of text: its text, then its
// buttons and any image or custom payload.
func botSummary(ev event.Event) string {
	parts := []string{}
	if ev.Text != "" {
		parts = append(parts, ev.Text)
	}
	m := botMessage(ev)
	for _, b := range m.Buttons {
		parts = append(parts, "["+b.Title+" → "+b.Payload+"]")
	}
	if m.Image != "" {
		parts = append(parts, "image: "+m.Image)
	}
	if m.Custom != "" {
		parts = append(parts, m.Custom)
	}
	return strings.Join(parts, "\n")
}

// valueText writes a slot or entity value as JSON (text unquoted).
func valueText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
