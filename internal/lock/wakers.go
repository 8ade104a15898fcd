package lock

import "sync"

// wakers are the channels of the local waiters of each conversation,
// signalled when a release notice for it arrives.
type wakers struct {
	mu  sync.Mutex
	set map[string]map[chan struct{}]struct{}
}

func newWakers() *wakers {
	return &wakers{set: map[string]map[chan struct{}]struct{}{}}
}

// register adds a waiter for conversation id.
func (w *wakers) register(id string) (wake <-chan struct{}, unregister func()) {
	ch := make(chan struct{}, 1)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.set[id] == nil {
		w.set[id] = map[chan struct{}]struct{}{}
	}
	w.set[id][ch] = struct{}{}
	return ch, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		delete(w.set[id], ch)
		if len(w.set[id]) == 0 {
			delete(w.set, id)
		}
	}
}

// notify signals every waiter of conversation id without blocking.
func (w *wakers) notify(id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for ch := range w.set[id] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
