package storetest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/store"
)

// Sizes of the concurrent case: conversations, writers per conversation,
// batches per writer and events per batch.
const (
	concurrentConversations = 12
	writersPerConversation  = 4
	batchesPerWriter        = 8
	eventsPerBatch          = 3
)

// testConcurrentAppends has several goroutines append batches to each of
// many conversations at once. Every event must be stored once, each
// writer's events in its own order, and each batch in one piece.
func testConcurrentAppends(t *testing.T, s store.TrackerStore) {
	var wg sync.WaitGroup
	errs := make(chan error, concurrentConversations*writersPerConversation)
	for c := range concurrentConversations {
		for w := range writersPerConversation {
			wg.Go(func() {
				id := fmt.Sprintf("conv-%02d", c)
				for b := range batchesPerWriter {
					if err := s.Append(t.Context(), id, markedBatch(w, b)); err != nil {
						errs <- fmt.Errorf("append to %s: %w", id, err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for c := range concurrentConversations {
		checkWriterOrder(t, s, fmt.Sprintf("conv-%02d", c))
	}
}

// markedBatch is batch b of writer w: slot events whose value names the
// writer, batch and position.
func markedBatch(w, b int) []event.Event {
	out := make([]event.Event, eventsPerBatch)
	for e := range out {
		out[e] = event.Event{Type: event.Slot, Timestamp: 1700000000, Name: "mark",
			Value: fmt.Sprintf("%d/%03d/%d", w, b, e)}
	}
	return out
}

// checkWriterOrder checks one conversation written by testConcurrentAppends.
func checkWriterOrder(t *testing.T, s store.TrackerStore, id string) {
	t.Helper()
	got, err := s.Load(t.Context(), id)
	if err != nil {
		t.Fatalf("Load %s: %v", id, err)
	}
	want := writersPerConversation * batchesPerWriter * eventsPerBatch
	if len(got) != want {
		t.Fatalf("%s holds %d events, want %d", id, len(got), want)
	}
	perWriter := map[string][]string{}
	for i, ev := range got {
		mark, _ := ev.Value.(string)
		w, rest, _ := strings.Cut(mark, "/")
		perWriter[w] = append(perWriter[w], rest)
		if i%eventsPerBatch != 0 && !sameBatch(got[i-1], ev) {
			t.Fatalf("%s: batch split at event %d (%v after %v)", id, i, ev.Value, got[i-1].Value)
		}
	}
	for w, marks := range perWriter {
		if !slices.IsSorted(marks) || len(marks) != batchesPerWriter*eventsPerBatch {
			t.Fatalf("%s: writer %s's events are out of order or missing: %q", id, w, marks)
		}
	}
}

// sameBatch reports whether two marked events come from one batch.
func sameBatch(a, b event.Event) bool {
	ma, _ := a.Value.(string)
	mb, _ := b.Value.(string)
	return len(ma) > 2 && len(mb) > 2 && ma[:len(ma)-2] == mb[:len(mb)-2]
}

// unicodeTexts are texts that stores have been known to mangle: emoji with
// skin tones and joiners, flags, right-to-left scripts, combining marks,
// characters outside the Basic Multilingual Plane, JSON's special
// characters and line separators.
var unicodeTexts = []string{
	"Größe 42 bitte 👍🏽",
	"family 👨‍👩‍👧‍👦 flag 🇩🇪 keycap 1️⃣",
	"مرحبا بالعالم שלום",
	"e\u0301 vs é, ﬁ ligature, Å vs Å",
	"𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎𠜱 😀",
	`quote " backslash \ slash / tab	end`,
	"line\u2028separator\u2029paragraph <b>&amp;</b>",
	"日本語のテキスト、中文文本，한국어",
}

// testUnicodeRoundTrip stores Unicode texts, names and a Unicode
// conversation id, and expects them back byte for byte.
func testUnicodeRoundTrip(t *testing.T, s store.TrackerStore) {
	id := "üser-😀-日本-مرحبا"
	var events []event.Event
	for i, text := range unicodeTexts {
		events = append(events, event.Event{Type: event.User, Timestamp: 1700000000 + float64(i),
			Text: text, Metadata: map[string]any{"note": text},
			Parse: &nlu.Parse{Text: text, Intent: nlu.Intent{Name: "größe_😀", Confidence: 1},
				Entities: []nlu.Entity{{Entity: "wort", Start: 0, End: 1, Value: text}}}})
		events = append(events, event.Event{Type: event.Slot, Timestamp: 1700000000.125,
			Name: "größe", Value: map[string]any{"text": text, "n": 1.5}})
	}
	mustAppend(t, s, id, events)
	got, err := s.Load(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	SameEvents(t, got, events)
	for i, text := range unicodeTexts {
		if got[2*i].Text != text {
			t.Fatalf("text %d came back as %q, want %q", i, got[2*i].Text, text)
		}
	}
	ids, err := s.Conversations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, []string{id}) {
		t.Fatalf("Conversations = %q, want [%q]", ids, id)
	}
}

// testLargeConversation stores thousands of events in one append, then a
// single event of over a mebibyte.
func testLargeConversation(t *testing.T, s store.TrackerStore) {
	n := 3000
	if testing.Short() {
		n = 600
	}
	events := Conversation(n, "large")
	mustAppend(t, s, "large", events)
	big := event.Event{Type: event.Bot, Timestamp: 1700000999.5,
		Text: strings.Repeat("0123456789abcdéf", 70000)}
	mustAppend(t, s, "large", []event.Event{big})
	got, err := s.Load(t.Context(), "large")
	if err != nil {
		t.Fatal(err)
	}
	SameEvents(t, got, append(events, big))
}
