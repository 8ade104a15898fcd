package agent

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/lock"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/testenv"
)

// testClock is a clock with timers that run when the test advances it.
type testClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*testTimer
}

type testTimer struct {
	at   time.Time
	f    func()
	done bool
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc is the agent's timer on this clock.
func (c *testClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	tm := &testTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, tm)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		stopped := !tm.done
		tm.done = true
		return stopped
	}
}

// Advance moves the clock on and runs the timers that came due, in order.
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []*testTimer
	for _, tm := range c.timers {
		if !tm.done && !tm.at.After(c.now) {
			tm.done = true
			due = append(due, tm)
		}
	}
	c.mu.Unlock()
	sort.SliceStable(due, func(i, j int) bool { return due[i].at.Before(due[j].at) })
	for _, tm := range due {
		tm.f()
	}
}

// reminderRunner plays reminderbot's action server.
type reminderRunner struct {
	clock *testClock
	kill  bool
}

func (r reminderRunner) Run(_ context.Context, name string, c *action.Context) ([]event.Event,
	error) {
	switch name {
	case "action_set_reminder":
		at := r.clock.Now().Add(5 * time.Minute).Format(time.RFC3339)
		return []event.Event{{Type: event.Bot, Text: "I will remind you in 5 minutes.",
			Data: &event.BotData{}}, {Type: event.Reminder, Intent: "EXTERNAL_reminder",
			DateTime: at, ReminderEntities: map[string]any{"PERSON": "John"},
			Name: "call", KillOnUserMsg: r.kill}}, nil
	case "action_react_to_reminder":
		who, _ := c.Tracker.Slot("PERSON").(string)
		return []event.Event{{Type: event.Bot, Text: "Remember to call " + who + "!",
			Data: &event.BotData{}}}, nil
	case "action_forget_reminders":
		return []event.Event{{Type: event.Bot, Text: "Okay, I'll cancel all your reminders.",
			Data: &event.BotData{}}, {Type: event.CancelReminder}}, nil
	}
	return nil, nil
}

var reminderNLU = keywordNLU{{"remind", "ask_remind_call"}, {"forget", "ask_forget_reminders"},
	{"hello", "greet"}, {"bye", "bye"}}

// replies collects what ReminderReply receives.
type replies struct {
	mu  sync.Mutex
	got []string
}

func (r *replies) add(_ context.Context, id, channel string, bots []event.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range bots {
		r.got = append(r.got, id+"@"+channel+": "+b.Text)
	}
}

func (r *replies) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

// reminderWorld is reminderbot with a shared store, lock and clock, so
// that several agents play processes that start, stop and run side by side.
type reminderWorld struct {
	t       *testing.T
	p       *project.Project
	store   store.TrackerStore
	lock    *lock.InProcess
	clock   *testClock
	replies *replies
	kill    bool
}

func newReminderWorld(t *testing.T, kill bool) *reminderWorld {
	p, err := project.Load(testenv.Shared(t, "data/bots/reminderbot"), project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &reminderWorld{t: t, p: p, store: store.NewMemory(), lock: lock.NewInProcess(),
		clock: newTestClock(), replies: &replies{}, kill: kill}
}

// process starts one agent ("a process") on the world.
func (w *reminderWorld) process() *Agent {
	a := New(Options{Domain: w.p.Domain, Policies: train(w.t, w.p), Parser: reminderNLU,
		Store: w.store, Lock: w.lock, Clock: w.clock.Now, AfterFunc: w.clock.AfterFunc,
		Runner: reminderRunner{clock: w.clock, kill: w.kill}, ReminderReply: w.replies.add})
	w.t.Cleanup(a.Close)
	return a
}

// externals returns the texts of the external user events stored.
func (w *reminderWorld) externals(id string) []string {
	events, err := w.store.Load(context.Background(), id)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		if e.Type == event.User && e.Metadata[IsExternalKey] == true {
			out = append(out, e.Text)
		}
	}
	return out
}

func TestReminderSurvivesRestartAndFiresOnce(t *testing.T) {
	w := newReminderWorld(t, false)
	first := w.process()
	got := say(t, first, "u", "remind me to call John")
	if !slices.Equal(got, []string{"I will remind you in 5 minutes."}) {
		t.Fatalf("set reminder: %q", got)
	}
	first.Close() // the process stops before the reminder is due
	// Two processes start on the same store and lock: each loads the
	// reminder; it must fire once.
	b, c := w.process(), w.process()
	for _, a := range []*Agent{b, c} {
		n, err := a.LoadReminders(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("LoadReminders: %d %v", n, err)
		}
	}
	w.clock.Advance(4 * time.Minute)
	if ext := w.externals("u"); len(ext) != 0 {
		t.Fatalf("fired early: %q", ext)
	}
	w.clock.Advance(2 * time.Minute)
	if ext := w.externals("u"); !slices.Equal(ext, []string{"EXTERNAL: EXTERNAL_reminder"}) {
		t.Fatalf("external events %q, want one", ext)
	}
	want := []string{"u@rest: Remember to call John!"}
	if got := w.replies.list(); !slices.Equal(got, want) {
		t.Fatalf("replies %q, want %q", got, want)
	}
	tr, _ := b.Tracker(context.Background(), "u")
	last := tr.LatestMessage()
	if last.Metadata[ReminderNameKey] != "call" || last.Parse.Intent.Name != "EXTERNAL_reminder" ||
		len(last.Parse.Entities) != 1 || last.Parse.Entities[0].Value != "John" ||
		tr.LatestActionName() != action.Listen {
		t.Fatalf("reminder turn: %+v %+v, action %s", last.Metadata, last.Parse,
			tr.LatestActionName())
	}
	w.clock.Advance(time.Hour)
	if n, _ := w.process().LoadReminders(context.Background()); n != 0 ||
		len(w.externals("u")) != 1 {
		t.Fatalf("after firing: %d pending, externals %q", n, w.externals("u"))
	}
}

func TestReminderKilledByUserMessage(t *testing.T) {
	w := newReminderWorld(t, true)
	a := w.process()
	say(t, a, "k", "remind me to call John")
	w.clock.Advance(time.Minute)
	say(t, a, "k", "hello")
	w.clock.Advance(10 * time.Minute)
	if ext := w.externals("k"); len(ext) != 0 || len(w.replies.list()) != 0 {
		t.Fatalf("a killed reminder fired: %q %q", ext, w.replies.list())
	}
	tr, _ := a.Tracker(context.Background(), "k")
	if p := PendingReminders(tr); len(p) != 0 {
		t.Fatalf("pending %v", p)
	}
	// Without a message in between, the same reminder fires.
	say(t, a, "k2", "remind me to call John")
	w.clock.Advance(6 * time.Minute)
	if ext := w.externals("k2"); len(ext) != 1 {
		t.Fatalf("reminder did not fire: %q", ext)
	}
}

func TestReminderCancelled(t *testing.T) {
	w := newReminderWorld(t, false)
	a := w.process()
	say(t, a, "x", "remind me to call John")
	got := say(t, a, "x", "forget about it")
	if !slices.Equal(got, []string{"Okay, I'll cancel all your reminders."}) {
		t.Fatalf("forget: %q", got)
	}
	w.clock.Advance(10 * time.Minute)
	if ext := w.externals("x"); len(ext) != 0 {
		t.Fatalf("a cancelled reminder fired: %q", ext)
	}
	if n, _ := w.process().LoadReminders(context.Background()); n != 0 {
		t.Fatalf("a cancelled reminder is pending after a restart: %d", n)
	}
}

func TestRemindersFromAPIEvents(t *testing.T) {
	w := newReminderWorld(t, false)
	a := w.process()
	ctx := context.Background()
	say(t, a, "api", "hello")
	at := w.clock.Now().Add(time.Minute).Format("2006-01-02T15:04:05Z07:00")
	evs := []event.Event{{Type: event.Reminder, Intent: "EXTERNAL_reminder", DateTime: at,
		ReminderEntities: []any{map[string]any{"entity": "PERSON", "value": "Ann"}}}}
	tr, err := a.AppendEvents(ctx, "api", evs)
	if err != nil {
		t.Fatal(err)
	}
	stored := tr.Events[len(tr.Events)-1]
	if stored.Type != event.Reminder || len(stored.Name) != 36 || evs[0].Name != stored.Name {
		t.Fatalf("stored reminder %q, given %q: want the same UUID", stored.Name, evs[0].Name)
	}
	w.clock.Advance(2 * time.Minute)
	if ext := w.externals("api"); len(ext) != 0 {
		t.Fatalf("appending events alone scheduled the reminder: %q", ext)
	}
	// execute_side_effects: the API schedules what it appended.
	a.ScheduleReminders("api", "callback", evs)
	w.clock.Advance(time.Second)
	want := []string{"api@callback: Remember to call Ann!"}
	if got := w.replies.list(); !slices.Equal(got, want) {
		t.Fatalf("replies %q, want %q", got, want)
	}
}

func TestParseReminderTime(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Time
	}{
		{"2026-03-01T10:00:00+01:00", time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)},
		{"2026-03-01T09:00:00.250000Z", time.Date(2026, 3, 1, 9, 0, 0, 25e7, time.UTC)},
		{"2026-03-01 09:00:00", time.Date(2026, 3, 1, 9, 0, 0, 0, time.Local)},
		{"2026-03-01T09:00:00.5", time.Date(2026, 3, 1, 9, 0, 0, 5e8, time.Local)},
	} {
		got, err := ParseReminderTime(c.in)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("%q: %v %v, want %v", c.in, got, err, c.want)
		}
	}
	if _, err := ParseReminderTime("tomorrow"); err == nil ||
		!strings.Contains(err.Error(), "2024-05-01T10:30:00+02:00") {
		t.Fatalf("bad time: %v", err)
	}
}

func TestReminderEntities(t *testing.T) {
	got := ReminderEntities(map[string]any{"b": 2.0, "a": "x"})
	want := []nlu.Entity{{Entity: "a", Value: "x"}, {Entity: "b", Value: 2.0}}
	if !slices.EqualFunc(got, want, func(x, y nlu.Entity) bool {
		return x.Entity == y.Entity && x.Value == y.Value
	}) {
		t.Fatalf("%+v", got)
	}
}
