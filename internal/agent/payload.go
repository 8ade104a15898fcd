package agent

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/parley-chat/parley/internal/nlu"
)

// ParsePayload understands "/intent" and `/intent{"entity": "value"}`
// without an NLU model, as Rasa does for button payloads; any other text
// gets no intent. The agent uses it only when it has no NLU.
func ParsePayload(text string) nlu.Parse {
	p := nlu.Parse{Text: text}
	s := strings.TrimSpace(text)
	if !strings.HasPrefix(s, "/") {
		return p
	}
	name, rest := s[1:], ""
	if i := strings.IndexAny(name, "{@"); i >= 0 {
		name, rest = name[:i], name[i:]
	}
	if name == "" {
		return p
	}
	conf := 1.0
	if at, ok := strings.CutPrefix(rest, "@"); ok {
		num, after, _ := strings.Cut(at, "{")
		_ = json.Unmarshal([]byte(num), &conf)
		rest = ""
		if after != "" {
			rest = "{" + after
		}
	}
	p.Intent = nlu.Intent{Name: name, Confidence: conf}
	p.IntentRanking = []nlu.Intent{p.Intent}
	var ents map[string]any
	if rest != "" && json.Unmarshal([]byte(rest), &ents) == nil {
		p.Entities = payloadEntities(text, ents)
	}
	return p
}

// payloadEntities turns the payload's JSON into entities spanning the JSON
// text, as Rasa's regex message handler does.
func payloadEntities(text string, ents map[string]any) []nlu.Entity {
	start := utf8.RuneCountInString(text[:strings.Index(text, "{")])
	end := utf8.RuneCountInString(text)
	var out []nlu.Entity
	for _, name := range slices.Sorted(maps.Keys(ents)) {
		v := ents[name]
		vals, ok := v.([]any)
		if !ok {
			vals = []any{v}
		}
		for _, val := range vals {
			out = append(out, nlu.Entity{Entity: name, Value: val, Start: start, End: end})
		}
	}
	return out
}
