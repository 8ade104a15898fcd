package agent

import (
	"context"
	"sync"
)

// lockTable hands out one lock per conversation. Lock order: the table's
// mutex is only held to find or drop an entry, never while waiting for or
// holding a conversation's lock, so the two never nest.
type lockTable struct {
	mu    sync.Mutex
	locks map[string]*convLock
}

// convLock is one conversation's lock; refs counts holders and waiters so
// that idle entries are dropped.
type convLock struct {
	ch   chan struct{}
	refs int
}

func newLockTable() *lockTable { return &lockTable{locks: map[string]*convLock{}} }

// lock waits for the conversation's lock (or ctx) and returns its release.
func (lt *lockTable) lock(ctx context.Context, id string) (func(), error) {
	lt.mu.Lock()
	l := lt.locks[id]
	if l == nil {
		l = &convLock{ch: make(chan struct{}, 1)}
		lt.locks[id] = l
	}
	l.refs++
	lt.mu.Unlock()
	select {
	case l.ch <- struct{}{}:
		return func() {
			<-l.ch
			lt.release(id, l)
		}, nil
	case <-ctx.Done():
		lt.release(id, l)
		return nil, ctx.Err()
	}
}

func (lt *lockTable) release(id string, l *convLock) {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	l.refs--
	if l.refs == 0 {
		delete(lt.locks, id)
	}
}
