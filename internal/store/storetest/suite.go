package storetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/store"
)

// Opener returns a new, empty store for one test. It registers the
// store's cleanup with t; the suite closes the store itself only in the
// close case.
type Opener func(t *testing.T) store.TrackerStore

// Run runs every conformance case against stores made by open.
func Run(t *testing.T, open Opener) {
	cases := []struct {
		name string
		run  func(*testing.T, store.TrackerStore)
	}{
		{"EmptyLoad", testEmptyLoad},
		{"EmptyWrites", testEmptyWrites},
		{"AppendOrder", testAppendOrder},
		{"Replace", testReplace},
		{"ConversationsNewestFirst", testConversationsNewestFirst},
		{"ConcurrentAppends", testConcurrentAppends},
		{"UnicodeRoundTrip", testUnicodeRoundTrip},
		{"LargeConversation", testLargeConversation},
		{"Close", testClose},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, open(t)) })
	}
}

func testEmptyLoad(t *testing.T, s store.TrackerStore) {
	got, err := s.Load(t.Context(), "nobody")
	if err != nil {
		t.Fatalf("Load of an unknown conversation: %v", err)
	}
	if got == nil || len(got) != 0 {
		t.Fatalf("Load of an unknown conversation = %#v, want an empty, non-nil slice", got)
	}
	ids, err := s.Conversations(t.Context())
	if err != nil {
		t.Fatalf("Conversations: %v", err)
	}
	if ids == nil || len(ids) != 0 {
		t.Fatalf("Conversations of an empty store = %#v, want an empty, non-nil slice", ids)
	}
}

// testEmptyWrites: appending no events makes no conversation, and
// replacing a log with no events removes the conversation.
func testEmptyWrites(t *testing.T, s store.TrackerStore) {
	ctx := t.Context()
	mustAppend(t, s, "kept", Conversation(2, "kept"))
	mustAppend(t, s, "ghost", nil)
	mustAppend(t, s, "ghost", []event.Event{})
	mustAppend(t, s, "gone", Conversation(3, "gone"))
	if err := s.Replace(ctx, "gone", nil); err != nil {
		t.Fatalf("Replace with no events: %v", err)
	}
	if err := s.Replace(ctx, "never", []event.Event{}); err != nil {
		t.Fatalf("Replace of an unknown conversation with no events: %v", err)
	}
	ids, err := s.Conversations(ctx)
	if err != nil {
		t.Fatalf("Conversations: %v", err)
	}
	if want := []string{"kept"}; !slices.Equal(ids, want) {
		t.Fatalf("Conversations = %q, want %q: empty writes must not list a conversation",
			ids, want)
	}
	for _, id := range []string{"ghost", "gone", "never"} {
		got, err := s.Load(ctx, id)
		if err != nil {
			t.Fatalf("Load %s: %v", id, err)
		}
		if got == nil || len(got) != 0 {
			t.Fatalf("Load %s = %#v, want an empty, non-nil slice", id, got)
		}
	}
}

func testAppendOrder(t *testing.T, s store.TrackerStore) {
	ctx := t.Context()
	a, b := Conversation(6, "a"), Conversation(3, "b")
	mustAppend(t, s, "a", a[:2])
	mustAppend(t, s, "b", b[:1])
	mustAppend(t, s, "a", a[2:5])
	mustAppend(t, s, "b", b[1:])
	mustAppend(t, s, "a", a[5:])
	for id, want := range map[string][]event.Event{"a": a, "b": b} {
		got, err := s.Load(ctx, id)
		if err != nil {
			t.Fatalf("Load %s: %v", id, err)
		}
		SameEvents(t, got, want)
	}
}

func testReplace(t *testing.T, s store.TrackerStore) {
	ctx := t.Context()
	mustAppend(t, s, "a", Conversation(5, "old"))
	mustAppend(t, s, "b", Conversation(2, "b"))
	fresh := Conversation(3, "new")
	if err := s.Replace(ctx, "a", fresh); err != nil {
		t.Fatalf("Replace: %v", err)
	}
	more := Conversation(2, "more")
	mustAppend(t, s, "a", more)
	got, err := s.Load(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	SameEvents(t, got, append(slices.Clone(fresh), more...))
	other, err := s.Load(ctx, "b")
	if err != nil {
		t.Fatal(err)
	}
	SameEvents(t, other, Conversation(2, "b"))
}

func testConversationsNewestFirst(t *testing.T, s store.TrackerStore) {
	for _, id := range []string{"a", "b", "c", "a", "d", "b"} {
		mustAppend(t, s, id, Conversation(1, id))
	}
	if err := s.Replace(t.Context(), "c", Conversation(2, "c")); err != nil {
		t.Fatal(err)
	}
	got, err := s.Conversations(t.Context())
	if err != nil {
		t.Fatalf("Conversations: %v", err)
	}
	if want := []string{"c", "b", "d", "a"}; !slices.Equal(got, want) {
		t.Fatalf("Conversations = %q, want %q (most recently active first)", got, want)
	}
}

func testClose(t *testing.T, s store.TrackerStore) {
	ctx := t.Context()
	mustAppend(t, s, "a", Conversation(1, "a"))
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := s.Load(ctx, "a"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Load after Close = %v, want store.ErrClosed", err)
	}
	if err := s.Append(ctx, "a", Conversation(1, "a")); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Append after Close = %v, want store.ErrClosed", err)
	}
	if err := s.Replace(ctx, "a", nil); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Replace after Close = %v, want store.ErrClosed", err)
	}
	if _, err := s.Conversations(ctx); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Conversations after Close = %v, want store.ErrClosed", err)
	}
}

// mustAppend appends events to conversation id or fails the test.
func mustAppend(t *testing.T, s store.TrackerStore, id string, events []event.Event) {
	t.Helper()
	if err := s.Append(t.Context(), id, events); err != nil {
		t.Fatalf("Append to %q: %v", id, err)
	}
}

// Conversation returns n events of a plausible conversation whose texts
// and names carry tag, so that two conversations never look alike.
func Conversation(n int, tag string) []event.Event {
	conf := 0.87
	out := make([]event.Event, 0, n)
	for i := range n {
		ts := 1700000000 + float64(i)*0.25
		text := fmt.Sprintf("%s message %d", tag, i)
		var ev event.Event
		switch i % 4 {
		case 0:
			ev = event.Event{Type: event.User, Text: text, InputChannel: "rest",
				Parse: &nlu.Parse{Text: text, Intent: nlu.Intent{Name: "greet", Confidence: conf}}}
		case 1:
			ev = event.Event{Type: event.Action, Name: "utter_" + tag, Policy: "RulePolicy",
				Confidence: event.Confidence(conf)}
		case 2:
			ev = event.Event{Type: event.Bot, Text: text}
		default:
			ev = event.Event{Type: event.Slot, Name: "tag", Value: text}
		}
		ev.Timestamp = ts
		out = append(out, ev)
	}
	return out
}

// SameEvents fails the test unless got and want encode to the same JSON,
// byte for byte, event by event.
func SameEvents(t testing.TB, got, want []event.Event) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d events, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := encode(t, got[i]), encode(t, want[i])
		if !bytes.Equal(g, w) {
			t.Fatalf("event %d differs:\n got %s\nwant %s", i, clip(g), clip(w))
		}
	}
}

// encode is the event's JSON or a test failure.
func encode(t testing.TB, ev event.Event) []byte {
	t.Helper()
	data, err := json.Marshal(ev)
	if err != nil {
		t.Fatalf("encoding a %s event: %v", ev.Type, err)
	}
	return data
}

// clip shortens long JSON for a failure message.
func clip(b []byte) string {
	s := string(b)
	if len(s) > 300 {
		return s[:300] + "…(" + fmt.Sprint(len(s)) + " bytes)"
	}
	return strings.ToValidUTF8(s, "?")
}

// OpenConcurrently calls open n times at once, as replicas starting
// together do, appends a conversation through each store and closes it;
// any error fails the test. The caller then checks that the schema was
// migrated once.
func OpenConcurrently(t *testing.T, n int, open func() (store.TrackerStore, error)) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range errs {
		wg.Go(func() {
			s, err := open()
			if err == nil {
				err = s.Append(t.Context(), "c", Conversation(1, "c"))
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("store %d: %v", i, err)
		}
	}
}
