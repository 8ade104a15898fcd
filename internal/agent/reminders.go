package agent

import (
	"context"
	"crypto/rand"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/tracker"
)

// This file schedules the reminders that actions set (Rasa's
// ReminderScheduled and ReminderCancelled events): at its time a reminder
// triggers its intent on the conversation as an external message. The
// schedule lives in memory; the events in the tracker store are the truth,
// so LoadReminders rebuilds the schedule after a restart and a reminder is
// checked against the stored events, under the conversation's lock, before
// it fires.

// ReminderNameKey is the metadata key of the external user event of a fired
// reminder; it names the reminder, so that it fires only once even when
// several processes schedule it.
const ReminderNameKey = "reminder_name"

// ReplyFunc receives the bot's messages of a turn nobody asked for (a
// reminder firing) for the output channel named by channel.
type ReplyFunc func(ctx context.Context, conversationID, channel string, bots []event.Event)

// AfterFunc runs f once after d (time.AfterFunc is one); stop cancels it
// and reports whether it did so before f started.
type AfterFunc func(d time.Duration, f func()) (stop func() bool)

// realAfterFunc is AfterFunc on the system clock.
func realAfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

// reminderKey identifies a scheduled reminder: a new reminder with the same
// name in the same conversation replaces the old one (Rasa replaces by name
// alone, across conversations).
type reminderKey struct{ conversation, name string }

// job is one scheduled reminder. stop is nil until its timer is set; done
// is set when it fires.
type job struct {
	ev      event.Event
	channel string
	stop    func() bool
	done    bool
}

// reminders is the agent's schedule.
type reminders struct {
	mu     sync.Mutex
	jobs   map[reminderKey]*job
	closed bool
}

// Close stops every scheduled reminder of this agent; the stored reminders
// stay, for the next agent's LoadReminders. A closed agent schedules no
// more reminders.
func (a *Agent) Close() {
	a.rem.mu.Lock()
	defer a.rem.mu.Unlock()
	a.rem.closed = true
	for k, j := range a.rem.jobs {
		j.halt()
		delete(a.rem.jobs, k)
	}
}

// ScheduleReminders schedules the reminders and cancels the ones the events
// name, for events added to the conversation outside a turn (the API's
// execute_side_effects); channel is the output channel for the reminders'
// replies.
func (a *Agent) ScheduleReminders(id, channel string, events []event.Event) {
	for _, e := range events {
		switch e.Type {
		case event.Reminder:
			a.schedule(id, channel, e)
		case event.CancelReminder:
			a.cancel(id, e)
		}
	}
}

// PendingReminders returns the reminders of the conversation that are set
// and have not fired, been cancelled or been killed by a user message.
func PendingReminders(t *tracker.Tracker) []event.Event {
	latest := map[string]event.Event{}
	var names []string
	for _, e := range t.AppliedEvents() {
		if e.Type == event.Reminder {
			if _, seen := latest[e.Name]; !seen {
				names = append(names, e.Name)
			}
			latest[e.Name] = e
		}
	}
	var out []event.Event
	for _, n := range names {
		if reminderStands(t, latest[n]) == "" {
			out = append(out, latest[n])
		}
	}
	return out
}

// LoadReminders reads every stored conversation and schedules its pending
// reminders (a reminder whose time passed while no process ran fires at
// once). It returns how many it scheduled. Call it once when the process
// starts; it reads the whole store.
func (a *Agent) LoadReminders(ctx context.Context) (int, error) {
	ids, err := a.opts.Store.Conversations(ctx)
	if err != nil {
		return 0, fmt.Errorf("reminders: list conversations: %w", err)
	}
	n := 0
	for _, id := range ids {
		t, err := a.load(ctx, id)
		if err != nil {
			return n, fmt.Errorf("reminders: %w", err)
		}
		for _, e := range PendingReminders(t) {
			if a.schedule(id, t.LatestInputChannel(), e) {
				n++
			}
		}
	}
	return n, nil
}

// schedule sets a timer for the reminder, replacing one of the same name.
// It reports whether the reminder was scheduled.
func (a *Agent) schedule(id, channel string, e event.Event) bool {
	at, err := ParseReminderTime(e.DateTime)
	if err != nil {
		a.log.Warn("reminder not scheduled: its date_time is not an ISO 8601 time",
			"conversation", id, "reminder", e.Name, "date_time", e.DateTime, "error", err)
		return false
	}
	key := reminderKey{id, e.Name}
	j := &job{ev: e, channel: channel}
	if !a.rem.put(key, j) {
		a.log.Warn("reminder stored but not scheduled: this agent was closed (a new model "+
			"was loaded); LoadReminders at the next start schedules it",
			"conversation", id, "reminder", e.Name)
		return false
	}
	// The timer is set outside the lock: a clock may run f at once.
	stop := a.opts.AfterFunc(max(at.Sub(a.opts.Clock()), 0), func() { a.fire(key, j) })
	a.rem.mu.Lock()
	defer a.rem.mu.Unlock()
	j.stop = stop
	if a.rem.jobs[key] != j && !j.done {
		stop()
	}
	return true
}

// put makes j the job of key and stops the one it replaces; it is false
// once the schedule is closed.
func (r *reminders) put(key reminderKey, j *job) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	if old := r.jobs[key]; old != nil {
		old.halt()
	}
	r.jobs[key] = j
	return true
}

// halt stops the job's timer if it has one yet; schedule stops it
// otherwise once it is set.
func (j *job) halt() {
	if j.stop != nil {
		j.stop()
	}
}

// cancel stops the conversation's reminders that the cancel event matches.
func (a *Agent) cancel(id string, c event.Event) {
	a.rem.mu.Lock()
	defer a.rem.mu.Unlock()
	for k, j := range a.rem.jobs {
		if k.conversation == id && cancels(c, j.ev) {
			j.halt()
			delete(a.rem.jobs, k)
		}
	}
}

// cancels reports whether a cancel_reminder event matches a reminder: every
// field it gives (name, intent, entities) is equal; none given cancels all.
func cancels(c, r event.Event) bool {
	return (c.Name == "" || c.Name == r.Name) && (c.Intent == "" || c.Intent == r.Intent) &&
		(isEmpty(c.ReminderEntities) || reflect.DeepEqual(c.ReminderEntities, r.ReminderEntities))
}

func isEmpty(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map, reflect.Slice, reflect.String:
		return rv.Len() == 0
	}
	return false
}

// fire runs a reminder whose time has come, unless it was replaced.
func (a *Agent) fire(key reminderKey, j *job) {
	a.rem.mu.Lock()
	current := a.rem.jobs[key] == j && !a.rem.closed
	if current {
		j.done = true
		delete(a.rem.jobs, key)
	}
	a.rem.mu.Unlock()
	if !current {
		return
	}
	ctx := context.Background()
	if err := a.runReminder(ctx, key.conversation, j.channel, j.ev); err != nil {
		a.log.Error("reminder failed", "conversation", key.conversation,
			"reminder", key.name, "error", err)
	}
}

// runReminder triggers the reminder's intent under the conversation's lock
// when the stored conversation still wants it, and sends the replies.
func (a *Agent) runReminder(ctx context.Context, id, channel string, r event.Event) error {
	var bots []event.Event
	fired := false
	_, err := a.actOnConversation(ctx, id, channel, func(t *tracker.Tracker) error {
		tn := a.newTurn(t, channel)
		if why := a.reminderDropped(tn, r); why != "" {
			a.log.Info("reminder dropped: "+why, "conversation", id, "reminder", r.Name)
			return nil
		}
		var err error
		bots, err = tn.external(ctx, r.Intent, ReminderEntities(r.ReminderEntities),
			map[string]any{ReminderNameKey: r.Name})
		fired = err == nil
		return err
	})
	if err != nil {
		return err
	}
	if fired && a.opts.ReminderReply != nil {
		a.opts.ReminderReply(ctx, id, channel, bots)
	}
	return nil
}

// reminderDropped says why a due reminder must not fire, or "". A new
// session (the old one expired) drops it, as in Rasa, where the session
// start leaves the reminder out of the applied events.
func (a *Agent) reminderDropped(tn *turn, r event.Event) string {
	if len(tn.t.AppliedEvents()) == 0 || tn.sessionExpired() {
		return "the conversation's session expired"
	}
	return reminderStands(tn.t, r)
}

// reminderStands says why the stored conversation no longer wants the
// reminder, or "": it must still be applied (no restart since), not
// replaced, cancelled or fired, and, with kill_on_user_msg, the user must
// not have written since it was set.
func reminderStands(t *tracker.Tracker, r event.Event) string {
	applied := false
	for _, e := range t.AppliedEvents() {
		applied = applied || e.Type == event.Reminder && e.Name == r.Name
	}
	if !applied {
		return "the conversation was restarted"
	}
	after := eventsAfterReminder(t.Events, r.Name)
	for _, e := range after {
		switch {
		case e.Type == event.CancelReminder && cancels(e, r):
			return "it was cancelled"
		case e.Type == event.User && e.Metadata[ReminderNameKey] == r.Name:
			return "it has fired"
		case e.Type == event.User && e.Text != "" && r.KillOnUserMsg:
			return "the user wrote since it was set"
		}
	}
	return ""
}

// eventsAfterReminder returns the events after the latest reminder event
// of that name.
func eventsAfterReminder(events []event.Event, name string) []event.Event {
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Type == event.Reminder && events[i].Name == name {
			return events[i+1:]
		}
	}
	return nil
}

// ReminderEntities turns a reminder's entities into the message's: a list
// of entity objects, or Rasa's short form {"entity": "value"}.
func ReminderEntities(v any) []nlu.Entity {
	var out []nlu.Entity
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, nlu.Entity{Entity: k, Value: x[k]})
		}
	case []any:
		for _, item := range x {
			m, ok := item.(map[string]any)
			if !ok {
				continue
			}
			name, _ := m["entity"].(string)
			e := nlu.Entity{Entity: name, Value: m["value"]}
			e.Role, _ = m["role"].(string)
			e.Group, _ = m["group"].(string)
			out = append(out, e)
		}
	}
	return out
}

// ParseReminderTime reads a reminder's date_time as Python's isoformat
// writes it: with a zone offset, or without one as local time (as Rasa's
// scheduler reads it).
func ParseReminderTime(s string) (time.Time, error) {
	s = strings.TrimSpace(strings.Replace(s, " ", "T", 1))
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04",
		"2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q: want a time such as 2024-05-01T10:30:00+02:00", s)
}

// newReminderName names a reminder the action left unnamed, as Rasa gives
// it a UUID.
func newReminderName() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
