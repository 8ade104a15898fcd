package policy

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/tracker"
)

// Policy priorities, as Rasa ranks them: a tie in confidence goes to the
// higher priority.
const (
	priorityLearned = 1
	priorityMemo    = 3
	priorityRule    = 6
)

// options reads a policy's options from config.yml.
type options map[string]any

func (o options) float(k string, def float64) float64 {
	switch v := o[k].(type) {
	case float64:
		return v
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case string:
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
	}
	return def
}

func (o options) integer(k string, def int) int {
	f := o.float(k, float64(def))
	return int(f)
}

func (o options) str(k, def string) string {
	if v, ok := o[k].(string); ok && v != "" {
		return v
	}
	return def
}

func (o options) boolean(k string, def bool) bool {
	switch v := o[k].(type) {
	case bool:
		return v
	case string:
		switch strings.ToLower(v) {
		case "true", "yes":
			return true
		case "false", "no":
			return false
		}
	}
	return def
}

// policyPrediction is one policy's scores for the next action.
type policyPrediction struct {
	policy   string
	priority int
	scores   map[string]float64
	// events are applied before the action (e.g. loop_interrupted).
	events       []event.Event
	hideRuleTurn bool
	// noUser marks predictions that do not depend on the user's message
	// (the loop's happy path); they win over all others.
	noUser bool
}

// best returns the top action and its confidence; with no score above 0 it
// is action_listen with 0, as Rasa's argmax over an all-zero vector.
func (p policyPrediction) best() (string, float64) {
	action, conf := ActionListen, 0.0
	for a, c := range p.scores {
		if c > conf || c == conf && c > 0 && a < action {
			action, conf = a, c
		}
	}
	return action, conf
}

// rasaKeyLen returns the length of the JSON Rasa would write for states,
// which it uses to pick the most specific of several matching rules.
func rasaKeyLen(states []tracker.State) int {
	var b strings.Builder
	b.WriteByte('[')
	for i, s := range states {
		if i > 0 {
			b.WriteString(", ")
		}
		var parts []string
		if s.ActiveLoop != "" {
			parts = append(parts, fmt.Sprintf(`"active_loop": {"name": %q}`, s.ActiveLoop))
		}
		if s.PrevAction != "" {
			parts = append(parts, fmt.Sprintf(`"prev_action": {"action_name": %q}`, s.PrevAction))
		} else if s.PrevText != "" {
			parts = append(parts, fmt.Sprintf(`"prev_action": {"action_text": %q}`, s.PrevText))
		}
		if len(s.Slots) > 0 {
			var sl []string
			for _, f := range s.Slots {
				sl = append(sl, fmt.Sprintf(`%q: [%s]`, f.Name, f.Value))
			}
			parts = append(parts, `"slots": {`+strings.Join(sl, ", ")+`}`)
		}
		if s.HasUser() {
			parts = append(parts, `"user": {`+userJSON(s)+`}`)
		}
		b.WriteString("{" + strings.Join(parts, ", ") + "}")
	}
	b.WriteByte(']')
	return b.Len()
}

func userJSON(s tracker.State) string {
	var parts []string
	if len(s.Entities) > 0 {
		q := make([]string, len(s.Entities))
		for i, e := range s.Entities {
			q[i] = strconv.Quote(e)
		}
		parts = append(parts, `"entities": [`+strings.Join(q, ", ")+`]`)
	}
	if s.Intent != "" {
		parts = append(parts, fmt.Sprintf(`"intent": %q`, s.Intent))
	}
	if s.Text != "" {
		parts = append(parts, fmt.Sprintf(`"text": %q`, s.Text))
	}
	return strings.Join(parts, ", ")
}
