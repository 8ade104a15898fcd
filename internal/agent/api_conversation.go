package agent

import (
	"context"
	"fmt"
	"strings"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/tracker"
)

// This file holds more conversation operations of Rasa's HTTP API: reading
// a tracker as the API shows it, appending events with a session start,
// logging a message without a prediction, and splitting a log in time and
// into sessions.

// SessionTracker returns the conversation's tracker. A conversation with
// no events gets action_session_start run on it first, as Rasa's API
// shows it; that start is not saved.
func (a *Agent) SessionTracker(ctx context.Context, id string) (*tracker.Tracker, error) {
	t, err := a.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(t.Events) == 0 {
		if _, err := a.newTurn(t, "").run(ctx, sessionStart()); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Exists reports whether the conversation has any stored event.
func (a *Agent) Exists(ctx context.Context, id string) (bool, error) {
	events, err := a.opts.Store.Load(ctx, id)
	if err != nil {
		return false, fmt.Errorf("conversation %q: load: %w", id, err)
	}
	return len(events) > 0, nil
}

// AppendEvents adds events to the end of a conversation and saves them, as
// Rasa's POST /conversations/<id>/tracker/events: a conversation without
// events first gets its session start, unless the events begin with one.
// Events without a timestamp get the clock's time. A reminder without a
// name is given one, in events too, so that the caller can schedule it
// (ScheduleReminders) under the name that is stored.
func (a *Agent) AppendEvents(ctx context.Context, id string, events []event.Event) (
	*tracker.Tracker, error) {
	for i := range events {
		if events[i].Type == event.Reminder && events[i].Name == "" {
			events[i].Name = newReminderName()
		}
	}
	return a.withConversation(ctx, id, func(t *tracker.Tracker) error {
		tn := a.newTurn(t, "")
		if len(t.Events) == 0 && !beginsWithSession(events) {
			if _, err := tn.run(ctx, sessionStart()); err != nil {
				return err
			}
		}
		tn.update(events...)
		return nil
	})
}

// ReplaceEvents swaps the conversation's whole log for events and returns
// the new state.
func (a *Agent) ReplaceEvents(ctx context.Context, id string, events []event.Event) (
	*tracker.Tracker, error) {
	if id == "" {
		return nil, ErrNoConversation
	}
	unlock, err := a.locks.lock(ctx, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	t := tracker.New(id, a.opts.Domain)
	a.newTurn(t, "").update(events...)
	if err := a.opts.Store.Replace(ctx, id, t.Events); err != nil {
		return nil, fmt.Errorf("conversation %q: save: %w", id, err)
	}
	return t, nil
}

// LogMessage logs a user message as a turn would, with its session start
// and action_extract_slots, but predicts nothing. A non-nil parse is used
// as the message's parse data instead of the NLU's.
func (a *Agent) LogMessage(ctx context.Context, msg UserMessage, parse *nlu.Parse) (
	*tracker.Tracker, error) {
	return a.withConversation(ctx, msg.ConversationID, func(t *tracker.Tracker) error {
		tn := a.newTurn(t, msg.InputChannel)
		if err := tn.startSessionIfNeeded(ctx, msg.Metadata); err != nil {
			return err
		}
		user := tn.userEvent(ctx, msg)
		if parse != nil {
			p := *parse
			if p.Text == "" {
				p.Text = msg.Text
			}
			user.Parse = &p
		}
		tn.update(user)
		extracted, _ := action.ExtractSlotsAction{}.Run(ctx, tn.act)
		tn.update(extracted...)
		return nil
	})
}

// withConversation locks the conversation, loads it, lets change update
// the tracker and saves the events change added.
func (a *Agent) withConversation(ctx context.Context, id string,
	change func(t *tracker.Tracker) error) (*tracker.Tracker, error) {
	t, _, err := a.changeConversation(ctx, id, change)
	return t, err
}

// actOnConversation is withConversation for changes that run actions: the
// reminders they set or cancel are scheduled or cancelled once saved, with
// channel as the output channel of their replies.
func (a *Agent) actOnConversation(ctx context.Context, id, channel string,
	change func(t *tracker.Tracker) error) (*tracker.Tracker, error) {
	t, added, err := a.changeConversation(ctx, id, change)
	if err == nil {
		a.ScheduleReminders(id, channel, added)
	}
	return t, err
}

// changeConversation is withConversation that also returns the events
// added.
func (a *Agent) changeConversation(ctx context.Context, id string,
	change func(t *tracker.Tracker) error) (*tracker.Tracker, []event.Event, error) {
	if id == "" {
		return nil, nil, ErrNoConversation
	}
	unlock, err := a.locks.lock(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	defer unlock()
	t, err := a.load(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	before := len(t.Events)
	if err := change(t); err != nil {
		return nil, nil, err
	}
	added := t.Events[before:]
	if len(added) > 0 {
		if err := a.opts.Store.Append(ctx, id, added); err != nil {
			return nil, nil, fmt.Errorf("conversation %q: save: %w", id, err)
		}
	}
	return t, added, nil
}

func beginsWithSession(events []event.Event) bool {
	for _, e := range events {
		switch {
		case e.Type == event.SessionStarted:
			return true
		case e.Type == event.Action && e.Name == action.SessionStart:
			continue
		default:
			return false
		}
	}
	return false
}

// Until returns the tracker as it was at the unix time until: only the
// events stamped at or before it.
func Until(t *tracker.Tracker, until float64) *tracker.Tracker {
	var kept []event.Event
	for _, e := range t.Events {
		if e.Timestamp <= until {
			kept = append(kept, e)
		}
	}
	return tracker.FromEvents(t.SenderID, t.Domain(), kept)
}

// Sessions splits a tracker into one tracker per conversation session,
// each starting at its action_session_start (or session_started).
func Sessions(t *tracker.Tracker) []*tracker.Tracker {
	var out []*tracker.Tracker
	var cur []event.Event
	for i, e := range t.Events {
		if startsSession(t.Events, i) && len(cur) > 0 {
			out = append(out, tracker.FromEvents(t.SenderID, t.Domain(), cur))
			cur = nil
		}
		cur = append(cur, e)
	}
	if len(cur) > 0 || len(out) == 0 {
		out = append(out, tracker.FromEvents(t.SenderID, t.Domain(), cur))
	}
	return out
}

// startsSession reports whether events[i] opens a session: an
// action_session_start, or a session_started not right after one.
func startsSession(events []event.Event, i int) bool {
	e := events[i]
	if e.Type == event.Action && e.Name == action.SessionStart {
		return true
	}
	if e.Type != event.SessionStarted {
		return false
	}
	return i == 0 || !(events[i-1].Type == event.Action &&
		strings.EqualFold(events[i-1].Name, action.SessionStart))
}
