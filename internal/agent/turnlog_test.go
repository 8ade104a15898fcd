package agent

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"
)

// TestOneLogLinePerTurn: each message gives one "turn" line with the
// conversation, the intent and the actions that ran, in order.
func TestOneLogLinePerTurn(t *testing.T) {
	var logs bytes.Buffer
	p := moodbot()
	a := New(Options{Domain: p.Domain, Parser: moodNLU, Policies: train(t, p),
		Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	say(t, a, "ann", "hello")
	say(t, a, "ann", "I am sad")
	var turns []map[string]any
	for line := range strings.Lines(logs.String()) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err == nil && rec["msg"] == "turn" {
			turns = append(turns, rec)
		}
	}
	if len(turns) != 2 {
		t.Fatalf("%d turn lines for 2 messages:\n%s", len(turns), logs.String())
	}
	last := turns[1]
	var acts []string
	for _, a := range last["actions"].([]any) {
		acts = append(acts, a.(string))
	}
	want := []string{"utter_cheer_up", "utter_did_that_help", "action_listen"}
	if last["conversation"] != "ann" || last["intent"] != "mood_unhappy" ||
		!slices.Equal(acts, want) {
		t.Errorf("second turn line %v, want conversation ann, intent mood_unhappy, actions %v",
			last, want)
	}
}
