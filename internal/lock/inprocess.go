package lock

import (
	"context"
	"slices"
	"sync"
)

// InProcess is a Store for a single process: a first-come, first-served
// queue per conversation. Idle conversations take no memory.
type InProcess struct {
	mu     sync.Mutex
	queues map[string][]chan struct{} // head holds the lock; closed when granted
}

var _ Store = (*InProcess)(nil)

// NewInProcess returns an empty in-process lock store.
func NewInProcess() *InProcess {
	return &InProcess{queues: map[string][]chan struct{}{}}
}

// Lock implements Store.
func (l *InProcess) Lock(ctx context.Context, id string) (func(), error) {
	turn := make(chan struct{})
	l.mu.Lock()
	l.queues[id] = append(l.queues[id], turn)
	if len(l.queues[id]) == 1 {
		close(turn)
	}
	l.mu.Unlock()
	select {
	case <-turn:
		var once sync.Once
		return func() { once.Do(func() { l.release(id, turn) }) }, nil
	case <-ctx.Done():
		l.abandon(id, turn)
		return nil, ctx.Err()
	}
}

// release ends turn, the head of id's queue, and starts the next one.
func (l *InProcess) release(id string, turn chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := l.queues[id]
	if len(q) == 0 || q[0] != turn {
		return
	}
	q = q[1:]
	if len(q) == 0 {
		delete(l.queues, id)
		return
	}
	l.queues[id] = q
	close(q[0])
}

// abandon takes turn out of id's queue after its caller gave up, passing
// the lock on if it had just been granted.
func (l *InProcess) abandon(id string, turn chan struct{}) {
	l.mu.Lock()
	q := l.queues[id]
	granted := len(q) > 0 && q[0] == turn
	if i := slices.Index(q, turn); i > 0 {
		l.queues[id] = slices.Delete(q, i, i+1)
	}
	l.mu.Unlock()
	if granted {
		l.release(id, turn)
	}
}

// Close implements Store.
func (l *InProcess) Close() error { return nil }
