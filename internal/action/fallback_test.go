package action

import (
	"context"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/tracker"
)

// fallbackLog builds a log from a short script: "u:<intent>" a user
// message (after an action_listen), "ask" a run of the fallback that asked
// something, "on" the loop's activation, "rewind" a rewind.
func fallbackLog(script string) []event.Event {
	var evs []event.Event
	for _, step := range strings.Fields(script) {
		switch {
		case strings.HasPrefix(step, "u:"):
			in := nlu.Intent{Name: step[2:]}
			evs = append(evs, event.Event{Type: event.Action, Name: Listen},
				event.Event{Type: event.User, Text: "text", Parse: &nlu.Parse{Intent: in,
					IntentRanking: []nlu.Intent{in, {Name: "greet"}}}})
		case step == "on":
			evs = append(evs, event.Event{Type: event.ActiveLoop, Name: TwoStageFallback})
		case step == "ask":
			evs = append(evs, event.Event{Type: event.Action, Name: TwoStageFallback},
				event.Event{Type: event.Bot, Text: "question"})
		case step == "rewind":
			evs = append(evs, event.Event{Type: event.Rewind})
		}
	}
	return evs
}

// TestTwoStageFallbackSteps runs the fallback on logs at each of its
// stages and checks what it logs.
func TestTwoStageFallbackSteps(t *testing.T) {
	d := &domain.Domain{Responses: map[string][]domain.Response{
		"utter_ask_rephrase": {{Text: "rephrase please"}}, "utter_default": {{Text: "giving up"}}}}
	for _, c := range []struct{ name, script, want string }{
		{"first unsure message", "u:nlu_fallback", "loop:two_stage Did you mean 'greet'?"},
		{"unsure after an ended fallback", "u:nlu_fallback rewind u:nlu_fallback",
			"loop:two_stage Did you mean 'greet'?"},
		{"denied", "u:nlu_fallback on ask u:out_of_scope", "rephrase please"},
		{"unsure rephrasing", "u:nlu_fallback on ask u:out_of_scope ask u:nlu_fallback",
			"Did you mean 'greet'?"},
		{"two unsure in a row", "u:nlu_fallback on ask u:nlu_fallback",
			"loop: giving up rewind"},
		{"second denial", "u:nlu_fallback on ask u:out_of_scope ask u:nlu_fallback ask " +
			"u:out_of_scope", "loop: giving up rewind"},
		{"affirmed", "u:nlu_fallback on ask u:greet",
			"loop: rewind action_listen user:greet@1"},
		{"rephrased", "u:nlu_fallback on ask u:out_of_scope ask u:greet",
			"loop: rewind action_listen user:greet@1"},
	} {
		tr := tracker.FromEvents("f", d, fallbackLog(c.script))
		evs, err := Resolve(TwoStageFallback, d).Run(context.Background(),
			&Context{Tracker: tr, Domain: d})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := describe(evs); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func describe(evs []event.Event) string {
	var parts []string
	for _, e := range evs {
		switch e.Type {
		case event.ActiveLoop:
			parts = append(parts, "loop:"+strings.TrimSuffix(
				strings.TrimPrefix(e.Name, "action_"), "_fallback"))
		case event.Bot:
			parts = append(parts, e.Text)
		case event.Rewind:
			parts = append(parts, "rewind")
		case event.Action:
			parts = append(parts, e.Name)
		case event.User:
			conf := "?"
			if e.Parse.Intent.Confidence == 1 {
				conf = "1"
			}
			parts = append(parts, "user:"+e.Parse.Intent.Name+"@"+conf)
		}
	}
	return strings.Join(parts, " ")
}
