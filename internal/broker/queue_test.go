package broker

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/event"
)

// fakeSink records what it receives; while down it fails every Send.
type fakeSink struct {
	mu     sync.Mutex
	down   bool
	hang   bool // Send blocks until its context ends
	got    []string
	sends  int
	closed bool
}

func (f *fakeSink) Send(ctx context.Context, msgs []Message) error {
	f.mu.Lock()
	f.sends++
	hang, down := f.hang, f.down
	f.mu.Unlock()
	if hang {
		<-ctx.Done()
		return ctx.Err()
	}
	if down {
		return errors.New("connection refused")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range msgs {
		f.got = append(f.got, string(m.Body))
	}
	return nil
}

func (f *fakeSink) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	return nil
}

func (f *fakeSink) set(down, hang bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down, f.hang = down, hang
}

func (f *fakeSink) received() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.got)
}

// slot is a slot event whose value tells it apart.
func slot(i int) event.Event {
	return event.Event{Type: event.Slot, Timestamp: 1700000000, Name: "n", Value: fmt.Sprint(i)}
}

// values returns the slot values of received messages.
func values(bodies []string) []string {
	out := make([]string, len(bodies))
	for i, b := range bodies {
		_, rest, _ := strings.Cut(b, `"value":"`)
		out[i], _, _ = strings.Cut(rest, `"`)
	}
	return out
}

// numbers returns "from".."to" as strings.
func numbers(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprint(i))
	}
	return out
}

func TestEncode(t *testing.T) {
	m, err := Encode("üser \"1\"", event.Event{Type: event.Restart, Timestamp: 1.5})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"sender_id":"üser \"1\"","event":"restart","timestamp":1.5}`
	if string(m.Body) != want || m.SenderID != "üser \"1\"" {
		t.Fatalf("Encode = %s, want %s", m.Body, want)
	}
}

func TestQueueDeliversInOrder(t *testing.T) {
	sink := &fakeSink{}
	q := NewQueue(sink, QueueConfig{BatchSize: 7})
	for i := range 50 {
		q.Publish("c", slot(i))
	}
	if err := q.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := values(sink.received()); !slices.Equal(got, numbers(0, 49)) {
		t.Fatalf("delivered %v", got)
	}
	if st := q.Stats(); st.Published != 50 || st.Dropped != 0 || st.Queued != 0 || !sink.closed {
		t.Fatalf("stats after Close = %+v, sink closed %v", st, sink.closed)
	}
}

// TestQueueOutage keeps the broker down while events arrive, overfills the
// queue, then brings the broker back: the newest events arrive once each,
// in order, and the oldest are counted as dropped.
func TestQueueOutage(t *testing.T) {
	sink := &fakeSink{down: true}
	q := NewQueue(sink, QueueConfig{Size: 10, MinBackoff: time.Millisecond,
		MaxBackoff: 4 * time.Millisecond})
	for i := range 25 {
		q.Publish("c", slot(i))
	}
	waitUntil(t, func() bool { return q.Stats().Failures >= 2 })
	if st := q.Stats(); !st.Down || st.Dropped != 15 || st.Queued != 10 {
		t.Fatalf("stats during the outage = %+v, want down, 15 dropped, 10 queued", st)
	}
	sink.set(false, false)
	waitUntil(t, func() bool { return q.Stats().Queued == 0 })
	if got := values(sink.received()); !slices.Equal(got, numbers(15, 24)) {
		t.Fatalf("delivered after the outage %v, want 15..24", got)
	}
	if st := q.Stats(); st.Down || st.Published != 10 {
		t.Fatalf("stats after the outage = %+v", st)
	}
	if err := q.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestPublishNeverBlocks publishes while the broker hangs, then closes
// with an ended context: Close reports what was lost.
func TestPublishNeverBlocks(t *testing.T) {
	sink := &fakeSink{hang: true}
	q := NewQueue(sink, QueueConfig{Size: 100})
	for i := range 1000 {
		q.Publish("c", slot(i))
	}
	if st := q.Stats(); st.Queued != 100 || st.Dropped != 900 {
		t.Fatalf("stats = %+v, want 100 queued and 900 dropped", st)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := q.Close(ctx)
	if !errors.Is(err, ErrUndelivered) || !strings.Contains(err.Error(), "100 events") {
		t.Fatalf("Close = %v, want ErrUndelivered for 100 events", err)
	}
	q.Publish("c", slot(1)) // after Close: counted, not queued
	if st := q.Stats(); st.Queued != 0 || st.Dropped != 1001 {
		t.Fatalf("stats after Close = %+v", st)
	}
}

func TestRingAckAfterDrop(t *testing.T) {
	r := newRing(3)
	for i := range 3 {
		r.push(Message{Body: []byte{byte(i)}})
	}
	batch, last := r.peek(2) // in flight: 0, 1
	r.push(Message{Body: []byte{3}})
	r.push(Message{Body: []byte{4}}) // drops 0 and 1
	r.ack(last)
	rest, _ := r.peek(3)
	if len(batch) != 2 || len(rest) != 3 || rest[0].Body[0] != 2 || rest[2].Body[0] != 4 {
		t.Fatalf("after ack: %v", rest)
	}
}

// waitUntil polls cond; the test's deadline bounds it.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-t.Context().Done():
			t.Fatal("gave up waiting")
		default:
		}
		time.Sleep(time.Millisecond)
	}
}
