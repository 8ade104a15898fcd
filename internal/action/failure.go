package action

import (
	"context"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/tracker"
)

// This file holds what the agent does when an action fails: the reply
// that tells the user, and the undoing of a form's unvalidated slots.

// FailedResponse is the response the bot utters when an action fails, when
// the domain defines it.
const FailedResponse = "utter_action_failed"

// DefaultFailureText is what the bot says when an action fails and the
// domain has no utter_action_failed response.
const DefaultFailureText = "Sorry, something went wrong on my side. Please try again in a moment."

// FailedActionKey is the bot event's metadata key that names the action
// whose failure the message reports, so that the tracker shows it.
const FailedActionKey = "failed_action"

// FailureReply returns the message that tells the user an action failed:
// the domain's utter_action_failed (also through the NLG when the domain
// lists it as an action), else DefaultFailureText. Its metadata names the
// failed action.
func FailureReply(ctx context.Context, c *Context, failed string) []event.Event {
	var ev event.Event
	ok := false
	_, has := c.Domain.Responses[FailedResponse]
	if has || (c.NLG != nil && c.Domain.HasAction(FailedResponse)) {
		ev, ok = Generate(ctx, c, FailedResponse, FailedResponse, nil)
	}
	if !ok {
		ev = event.Event{Type: event.Bot, Text: DefaultFailureText, Data: &event.BotData{}}
	}
	if ev.Metadata == nil {
		ev.Metadata = map[string]any{}
	}
	ev.Metadata[FailedActionKey] = failed
	return []event.Event{ev}
}

// RevertCandidates returns slot events that give the slots set since the
// latest user message (requested_slot aside) the values they had before
// it. When a form fails to validate what the user gave, the values must
// not stay in their slots unchecked: reverted, they are candidates again
// when the user answers once more.
func RevertCandidates(t *tracker.Tracker) []event.Event {
	last := -1
	for i := len(t.Events) - 1; i >= 0; i-- {
		if t.Events[i].Type == event.User {
			last = i
			break
		}
	}
	if last < 0 {
		return nil
	}
	before := tracker.FromEvents(t.SenderID, t.Domain(), t.Events[:last])
	var out []event.Event
	seen := map[string]bool{}
	for _, e := range t.Events[last+1:] {
		if e.Type != event.Slot || e.Name == domain.RequestedSlot || seen[e.Name] {
			continue
		}
		seen[e.Name] = true
		if v := before.Slot(e.Name); !sameValue(v, t.Slot(e.Name)) {
			out = append(out, event.Event{Type: event.Slot, Name: e.Name, Value: v})
		}
	}
	return out
}
