package web

import (
	"sync"
	"time"
)

// Login throttling: after maxLoginFailures failed logins for one user from
// one address within failureWindow, tries are refused for firstLockout;
// each failure after a lockout locks again for twice as long, up to
// maxLockout. A quiet failureWindow after the last failure or lockout
// forgets it all, and so does a successful login.
const (
	maxLoginFailures   = 5
	failureWindow      = 15 * time.Minute
	firstLockout       = time.Minute
	maxLockout         = 24 * time.Hour
	maxThrottleEntries = 10000
)

// loginThrottle counts failed logins per user and address, in memory.
// TODO: with several replicas each counts alone; keep the counts in the
// database or Redis when replicas share one site.
type loginThrottle struct {
	mu      sync.Mutex
	entries map[throttleKey]*throttleEntry
	clock   func() time.Time
}

type throttleKey struct{ user, addr string }

type throttleEntry struct {
	failures    []time.Time
	lockedUntil time.Time
	lockout     time.Duration
}

func newLoginThrottle(clock func() time.Time) *loginThrottle {
	return &loginThrottle{entries: map[throttleKey]*throttleEntry{}, clock: clock}
}

// wait returns how long user at addr must wait before the next try; zero
// when a try is allowed now.
func (t *loginThrottle) wait(user, addr string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.entries[throttleKey{normalUser(user), addr}]
	if !ok {
		return 0
	}
	return max(e.lockedUntil.Sub(t.clock()), 0)
}

// failed records a failed login and returns the lockout it starts (zero
// when none).
func (t *loginThrottle) failed(user, addr string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock()
	key := throttleKey{normalUser(user), addr}
	e := t.entries[key]
	if e == nil || e.stale(now) {
		t.makeRoom(now)
		e = &throttleEntry{}
		t.entries[key] = e
	}
	recent := e.failures[:0]
	for _, f := range e.failures {
		if now.Sub(f) < failureWindow {
			recent = append(recent, f)
		}
	}
	e.failures = append(recent, now)
	switch {
	case e.lockout > 0:
		e.lockout = min(2*e.lockout, maxLockout)
	case len(e.failures) >= maxLoginFailures:
		e.lockout = firstLockout
	default:
		return 0
	}
	e.lockedUntil = now.Add(e.lockout)
	return e.lockout
}

// succeeded forgets the failures of user at addr.
func (t *loginThrottle) succeeded(user, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, throttleKey{normalUser(user), addr})
}

// stale reports whether the entry has been quiet for a whole window.
func (e *throttleEntry) stale(now time.Time) bool {
	last := e.lockedUntil
	if n := len(e.failures); n > 0 && e.failures[n-1].After(last) {
		last = e.failures[n-1]
	}
	return now.Sub(last) >= failureWindow
}

// makeRoom drops stale entries when the table is full, then any entry,
// so that guessing many names cannot grow it without bound.
func (t *loginThrottle) makeRoom(now time.Time) {
	if len(t.entries) < maxThrottleEntries {
		return
	}
	for k, e := range t.entries {
		if e.stale(now) {
			delete(t.entries, k)
		}
	}
	for k := range t.entries {
		if len(t.entries) < maxThrottleEntries {
			return
		}
		delete(t.entries, k)
	}
}
