package agent

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/tracker"
)

// storyVersion is the format version written at the top of exported
// stories.
const storyVersion = "3.1"

// TestStories writes trackers as Rasa's YAML test stories, one story per
// tracker named after its conversation (", story N" added when there are
// several), with the applied events as steps. action_listen and the
// session start are left out, as in Rasa's story export; user steps carry
// the intent and the text with its entities annotated (not for "/intent"
// payloads).
func TestStories(trackers []*tracker.Tracker) string {
	var b strings.Builder
	b.WriteString("version: \"" + storyVersion + "\"\n")
	if len(trackers) == 0 {
		b.WriteString("stories: []\n")
		return b.String()
	}
	b.WriteString("stories:\n")
	for i, t := range trackers {
		name := t.SenderID
		if len(trackers) > 1 {
			name += ", story " + itoa(i+1)
		}
		b.WriteString("- story: " + yamlString(name) + "\n")
		writeSteps(&b, t.AppliedEvents())
	}
	return b.String()
}

// writeSteps writes the steps of one story.
func writeSteps(b *strings.Builder, events []event.Event) {
	var steps []string
	for _, e := range events {
		if s := storyStep(e); s != "" {
			steps = append(steps, s)
		}
	}
	if len(steps) == 0 {
		b.WriteString("  steps: []\n")
		return
	}
	b.WriteString("  steps:\n")
	for _, s := range steps {
		b.WriteString(s)
	}
}

// storyStep returns the YAML of one event's step, or "" for events a
// story does not show.
func storyStep(e event.Event) string {
	switch e.Type {
	case event.User:
		return userStep(e)
	case event.Action:
		switch {
		case e.Name == action.Listen || e.Name == action.SessionStart:
			return ""
		case e.Name == "" && e.ActionText != "":
			return "  - bot: " + yamlString(e.ActionText) + "\n"
		}
		return "  - action: " + yamlString(e.Name) + "\n"
	case event.Slot:
		v, _ := json.Marshal(e.Value)
		return "  - slot_was_set:\n    - " + yamlString(e.Name) + ": " + string(v) + "\n"
	case event.ActiveLoop:
		if e.Name == "" {
			return "  - active_loop: null\n"
		}
		return "  - active_loop: " + yamlString(e.Name) + "\n"
	}
	return ""
}

// userStep writes the intent and the annotated text of a user event.
func userStep(e event.Event) string {
	var p nlu.Parse
	if e.Parse != nil {
		p = *e.Parse
	}
	var b strings.Builder
	prefix := "  - "
	if p.Intent.Name != "" {
		b.WriteString(prefix + "intent: " + yamlString(p.Intent.Name) + "\n")
		prefix = "    "
	}
	if e.Text != "" && !strings.HasPrefix(e.Text, "/") {
		b.WriteString(prefix + "user: |-\n")
		for line := range strings.SplitSeq(annotate(e.Text, p.Entities), "\n") {
			b.WriteString("      " + line + "\n")
		}
	}
	return b.String()
}

// annotate marks entities in text as [text](entity), or with the JSON
// form when the value, role or group needs it. Entity offsets count code
// points.
func annotate(text string, ents []nlu.Entity) string {
	runes := []rune(text)
	var b strings.Builder
	pos := 0
	for _, e := range ents {
		if e.Start < pos || e.End > len(runes) || e.Start >= e.End {
			continue
		}
		b.WriteString(string(runes[pos:e.Start]))
		span := string(runes[e.Start:e.End])
		b.WriteString("[" + span + "]" + entityLabel(e, span))
		pos = e.End
	}
	b.WriteString(string(runes[pos:]))
	return b.String()
}

func entityLabel(e nlu.Entity, span string) string {
	if v, ok := e.Value.(string); ok && v == span && e.Role == "" && e.Group == "" {
		return "(" + e.Entity + ")"
	}
	m := map[string]any{"entity": e.Entity, "value": e.Value}
	if e.Role != "" {
		m["role"] = e.Role
	}
	if e.Group != "" {
		m["group"] = e.Group
	}
	data, _ := json.Marshal(m)
	return string(data)
}

// yamlString writes s as a YAML scalar, quoted when plain would misread.
func yamlString(s string) string {
	if s == "" || strings.ContainsAny(s[:1], "[]{}&*!|>'\"%@`,?:#-") ||
		strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") ||
		strings.ContainsAny(s, "\n\t") || strings.TrimSpace(s) != s || !utf8.ValidString(s) ||
		looksTyped(s) {
		data, _ := json.Marshal(s)
		return string(data)
	}
	return s
}

// looksTyped reports whether plain YAML would read s as something other
// than a string.
func looksTyped(s string) bool {
	switch strings.ToLower(s) {
	case "null", "~", "true", "false", "yes", "no", "on", "off":
		return true
	}
	var f float64
	return json.Unmarshal([]byte(s), &f) == nil
}

func itoa(n int) string {
	data, _ := json.Marshal(n)
	return string(data)
}
