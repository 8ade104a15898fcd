package replicas

import (
	"fmt"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/store"
)

// recorder is a testing.TB that keeps errors instead of failing.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Helper() {}

// turnEvents is a stored turn of message seq: the user event, an
// utterance with text (none when text is empty) and action_listen, all
// stamped at ts.
func turnEvents(seq int, text string, ts float64) []event.Event {
	evs := []event.Event{{Type: event.User, Text: "msg", Timestamp: ts,
		Metadata: map[string]any{"seq": float64(seq)}}}
	if text != "" {
		evs = append(evs, event.Event{Type: event.Action, Name: "utter_x", Timestamp: ts},
			event.Event{Type: event.Bot, Text: text, Timestamp: ts})
	}
	return append(evs, event.Event{Type: event.Action, Name: listenAction, Timestamp: ts})
}

// sentMessages are two messages answered on their first request.
func sentMessages() []*Sent {
	return []*Sent{
		{Conversation: "c", Seq: 0, Group: 0, Status: 200, Reply: []string{"text:a"}},
		{Conversation: "c", Seq: 1, Group: 1, Status: 200, Reply: []string{"text:b"}},
	}
}

// TestCheckConversations feeds CheckConversations stored logs that break
// each rule, and one that keeps them all.
func TestCheckConversations(t *testing.T) {
	join := func(parts ...[]event.Event) []event.Event {
		var out []event.Event
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	interleaved := join(turnEvents(0, "a", 1)[:1], turnEvents(1, "b", 2))
	interleaved = append(interleaved, turnEvents(0, "a", 3)[1:]...)
	cases := []struct {
		name   string
		stored []event.Event
		want   string // part of the error; "" for none
	}{
		{"in order", join(turnEvents(0, "a", 1), turnEvents(1, "b", 2)), ""},
		{"missing", turnEvents(0, "a", 1), "stored 0 times"},
		{"stored twice", join(turnEvents(0, "a", 1), turnEvents(0, "a", 2),
			turnEvents(1, "b", 3)), "stored 2 times"},
		{"reordered", join(turnEvents(1, "b", 1), turnEvents(0, "a", 2)), "after a later"},
		{"interleaved", interleaved, "does not end with"},
		{"overlapping", join(turnEvents(0, "a", 2), turnEvents(1, "b", 1)), "ran at once"},
		{"wrong answer", join(turnEvents(0, "b", 1), turnEvents(1, "a", 2)),
			"is not its turn"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := store.NewMemory()
			if err := st.Append(t.Context(), "c", c.stored); err != nil {
				t.Fatal(err)
			}
			rec := &recorder{TB: t}
			CheckConversations(rec, st, map[string][]*Sent{"c": sentMessages()})
			got := strings.Join(rec.errs, "\n")
			switch {
			case c.want == "" && got != "":
				t.Errorf("errors for a good log: %s", got)
			case !strings.Contains(got, c.want):
				t.Errorf("errors %q, want one saying %q", got, c.want)
			}
		})
	}
}
