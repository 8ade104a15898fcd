package broker

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-chat/parley/internal/event"
)

// Defaults of QueueConfig.
const (
	DefaultQueueSize   = 10000
	DefaultBatchSize   = 100
	DefaultMinBackoff  = 100 * time.Millisecond
	DefaultMaxBackoff  = 30 * time.Second
	DefaultSendTimeout = 30 * time.Second
)

// QueueConfig configures a Queue; zero fields take the defaults.
type QueueConfig struct {
	// Name names the broker in logs, such as "pika" or "kafka".
	Name string
	// Size is how many messages wait at most; beyond it the oldest go.
	Size int
	// BatchSize is how many messages go to the broker in one Send.
	BatchSize int
	// MinBackoff and MaxBackoff bound the pause after a failed Send; it
	// doubles after each failure in a row.
	MinBackoff, MaxBackoff time.Duration
	// SendTimeout bounds one Send.
	SendTimeout time.Duration
	// Logger receives the outage warnings; nil discards them.
	Logger *slog.Logger
}

// Stats are a Queue's counters since it started.
type Stats struct {
	Queued       int    // messages waiting now
	Published    uint64 // messages the broker confirmed
	Dropped      uint64 // oldest messages dropped from a full queue, or after Close
	Failures     uint64 // Sends that failed
	EncodeErrors uint64 // events that could not be encoded
	Down         bool   // whether the last Send failed
}

// Queue is a Publisher that queues messages in memory and delivers them
// to a Sink from one goroutine.
type Queue struct {
	sink Sink
	cfg  QueueConfig

	mu      sync.Mutex
	ring    ring
	closing bool
	signal  chan struct{} // something was queued, or Close began

	published, dropped, failures, encodeErrors atomic.Uint64
	down                                       atomic.Bool

	run    context.Context // ends when Close gives up
	giveUp context.CancelFunc
	done   chan struct{}
}

var _ Publisher = (*Queue)(nil)

// NewQueue starts delivering to sink.
func NewQueue(sink Sink, cfg QueueConfig) *Queue {
	cfg = withDefaults(cfg)
	q := &Queue{sink: sink, cfg: cfg, ring: newRing(cfg.Size),
		signal: make(chan struct{}, 1), done: make(chan struct{})}
	q.run, q.giveUp = context.WithCancel(context.Background())
	go q.deliver()
	return q
}

// withDefaults fills in the zero fields of cfg.
func withDefaults(cfg QueueConfig) QueueConfig {
	if cfg.Size <= 0 {
		cfg.Size = DefaultQueueSize
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = DefaultMinBackoff
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = max(DefaultMaxBackoff, cfg.MinBackoff)
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = DefaultSendTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}

// Publish implements Publisher.
func (q *Queue) Publish(senderID string, events ...event.Event) {
	msgs := make([]Message, 0, len(events))
	for _, ev := range events {
		m, err := Encode(senderID, ev)
		if err != nil {
			q.encodeErrors.Add(1)
			q.cfg.Logger.Warn("event broker: event not published", "broker", q.cfg.Name,
				"conversation", senderID, "error", err)
			continue
		}
		msgs = append(msgs, m)
	}
	q.mu.Lock()
	if q.closing {
		q.mu.Unlock()
		q.dropped.Add(uint64(len(msgs)))
		return
	}
	for _, m := range msgs {
		if q.ring.push(m) {
			q.dropped.Add(1)
		}
	}
	q.mu.Unlock()
	q.poke()
}

// poke wakes the delivering goroutine.
func (q *Queue) poke() {
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

// Stats implements Publisher.
func (q *Queue) Stats() Stats {
	q.mu.Lock()
	queued := q.ring.len()
	q.mu.Unlock()
	return Stats{Queued: queued, Published: q.published.Load(), Dropped: q.dropped.Load(),
		Failures: q.failures.Load(), EncodeErrors: q.encodeErrors.Load(), Down: q.down.Load()}
}

// Close implements Publisher. It returns ErrUndelivered, with the number
// of messages lost, when ctx ends before the queue is empty.
func (q *Queue) Close(ctx context.Context) error {
	q.mu.Lock()
	q.closing = true
	q.mu.Unlock()
	q.poke()
	select {
	case <-q.done:
	case <-ctx.Done():
		q.giveUp()
		<-q.done
	}
	q.mu.Lock()
	lost := q.ring.len()
	q.ring.drop(lost)
	q.mu.Unlock()
	q.dropped.Add(uint64(lost))
	err := q.sink.Close()
	if lost > 0 {
		return fmt.Errorf("%w: %d events to %s", ErrUndelivered, lost, q.cfg.Name)
	}
	return err
}

// deliver sends batches until Close finds the queue empty or gives up.
func (q *Queue) deliver() {
	defer close(q.done)
	backoff := q.cfg.MinBackoff
	for {
		batch, last, closing := q.next()
		if len(batch) == 0 {
			if closing || !q.wait(q.signal, 0) {
				return
			}
			continue
		}
		if err := q.send(batch); err != nil {
			q.failed(err, backoff)
			if !q.wait(nil, backoff) {
				return
			}
			backoff = min(2*backoff, q.cfg.MaxBackoff)
			continue
		}
		q.delivered(last, len(batch))
		backoff = q.cfg.MinBackoff
	}
}

// next copies the head of the queue, up to a batch, and the sequence
// number of its last message.
func (q *Queue) next() (batch []Message, last uint64, closing bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	batch, last = q.ring.peek(q.cfg.BatchSize)
	return batch, last, q.closing
}

// wait blocks until signal fires or (when positive) pause passes; it
// returns false when Close gave up.
func (q *Queue) wait(signal <-chan struct{}, pause time.Duration) bool {
	var timer <-chan time.Time
	if pause > 0 {
		t := time.NewTimer(pause)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-signal:
	case <-timer:
	case <-q.run.Done():
		return false
	}
	return true
}

// send hands one batch to the sink.
func (q *Queue) send(batch []Message) error {
	ctx, cancel := context.WithTimeout(q.run, q.cfg.SendTimeout)
	defer cancel()
	return q.sink.Send(ctx, batch)
}

// failed counts a failed send and logs the start of an outage.
func (q *Queue) failed(err error, backoff time.Duration) {
	q.failures.Add(1)
	if !q.down.Swap(true) {
		q.cfg.Logger.Warn("event broker unreachable; events wait in the queue and are retried",
			"broker", q.cfg.Name, "queued", q.Stats().Queued, "retry_in", backoff, "error", err)
	}
}

// delivered removes a confirmed batch and logs the end of an outage.
func (q *Queue) delivered(last uint64, n int) {
	q.mu.Lock()
	q.ring.ack(last)
	q.mu.Unlock()
	q.published.Add(uint64(n))
	if q.down.Swap(false) {
		q.cfg.Logger.Info("event broker reachable again", "broker", q.cfg.Name,
			"failures", q.failures.Load(), "dropped", q.dropped.Load())
	}
}
