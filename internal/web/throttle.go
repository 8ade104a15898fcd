package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
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

// ThrottleRecord is what the login throttle remembers of one user at one
// address.
type ThrottleRecord struct {
	// Failures are the times of the latest failed logins within the
	// window, oldest first (at most maxLoginFailures of them).
	Failures []time.Time
	// LockedUntil is when the current lockout ends; zero when none.
	LockedUntil time.Time
	// Lockout is the length of the last lockout; zero before the first.
	Lockout time.Duration
}

// loginThrottle counts failed logins per user and address in the web
// app's Store, so that replicas sharing a database count together.
type loginThrottle struct {
	clock     func() time.Time
	lastPurge atomic.Int64 // unix seconds of the last removal of stale records
}

func newLoginThrottle(clock func() time.Time) *loginThrottle {
	return &loginThrottle{clock: clock}
}

// throttleKey is the key of user at addr in the Store: a hash, so that
// whatever was typed as a name is never stored.
func throttleKey(user, addr string) string {
	sum := sha256.Sum256([]byte(normalUser(user) + "\x00" + addr))
	return hex.EncodeToString(sum[:])
}

// wait returns how long user at addr must wait before the next try; zero
// when a try is allowed now.
func (t *loginThrottle) wait(ctx context.Context, st Store, user, addr string) (
	time.Duration, error) {
	rec, err := st.Throttle(ctx, throttleKey(user, addr))
	if err != nil {
		return 0, err
	}
	return max(rec.LockedUntil.Sub(t.clock()), 0), nil
}

// failed records a failed login and returns the lockout it starts (zero
// when none).
func (t *loginThrottle) failed(ctx context.Context, st Store, user, addr string) (
	time.Duration, error) {
	now := t.clock()
	var lockout time.Duration
	err := st.UpdateThrottle(ctx, throttleKey(user, addr), func(r *ThrottleRecord) {
		lockout = r.fail(now)
	})
	return lockout, err
}

// succeeded forgets the failures of user at addr.
func (t *loginThrottle) succeeded(ctx context.Context, st Store, user, addr string) error {
	return st.ClearThrottle(ctx, throttleKey(user, addr))
}

// purge removes the records gone quiet, at most once per failureWindow;
// the login calls it after counting a failure.
func (t *loginThrottle) purge(ctx context.Context, st Store) error {
	now := t.clock()
	last := t.lastPurge.Load()
	if now.Unix()-last < int64(failureWindow/time.Second) ||
		!t.lastPurge.CompareAndSwap(last, now.Unix()) {
		return nil
	}
	_, err := st.DeleteStaleThrottles(ctx, now.Add(-failureWindow))
	return err
}

// fail adds a failure at now and returns the lockout it starts (zero when
// none).
func (r *ThrottleRecord) fail(now time.Time) time.Duration {
	if r.stale(now) {
		*r = ThrottleRecord{}
	}
	recent := r.Failures[:0]
	for _, f := range r.Failures {
		if now.Sub(f) < failureWindow {
			recent = append(recent, f)
		}
	}
	r.Failures = append(recent, now)
	if n := len(r.Failures); n > maxLoginFailures {
		r.Failures = r.Failures[n-maxLoginFailures:]
	}
	switch {
	case r.Lockout > 0:
		r.Lockout = min(2*r.Lockout, maxLockout)
	case len(r.Failures) >= maxLoginFailures:
		r.Lockout = firstLockout
	default:
		return 0
	}
	r.LockedUntil = now.Add(r.Lockout)
	return r.Lockout
}

// lastActive is the time of the last failure or the end of the lockout,
// whichever is later.
func (r *ThrottleRecord) lastActive() time.Time {
	last := r.LockedUntil
	if n := len(r.Failures); n > 0 && r.Failures[n-1].After(last) {
		last = r.Failures[n-1]
	}
	return last
}

// stale reports whether the record has been quiet for a whole window.
func (r *ThrottleRecord) stale(now time.Time) bool {
	return now.Sub(r.lastActive()) >= failureWindow
}

// encodeFailures writes failure times as space-separated unix
// milliseconds, the form the SQL stores keep.
func encodeFailures(failures []time.Time) string {
	parts := make([]string, len(failures))
	for i, f := range failures {
		parts[i] = strconv.FormatInt(f.UnixMilli(), 10)
	}
	return strings.Join(parts, " ")
}

// decodeFailures reads what encodeFailures wrote.
func decodeFailures(s string) ([]time.Time, error) {
	var out []time.Time
	for field := range strings.FieldsSeq(s) {
		ms, err := strconv.ParseInt(field, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("web: a login throttle record is damaged: %w", err)
		}
		out = append(out, time.UnixMilli(ms))
	}
	return out, nil
}

// timeOfMilli is unix milliseconds as a time, zero for 0.
func timeOfMilli(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// milliOf is t in unix milliseconds, 0 for the zero time.
func milliOf(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
