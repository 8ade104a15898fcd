package web

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// MemoryStore is a Store in process memory, lost when the process stops:
// the web app uses it when it has no database.
type MemoryStore struct {
	mu        sync.Mutex
	sessions  map[string]Session
	users     map[string][]byte
	throttles map[string]ThrottleRecord
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{sessions: map[string]Session{}, users: map[string][]byte{},
		throttles: map[string]ThrottleRecord{}}
}

// SaveSession implements Store.
func (m *MemoryStore) SaveSession(_ context.Context, key string, s Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.sessions[key]; ok {
		s.Created = old.Created
	}
	m.sessions[key] = s
	return nil
}

// Session implements Store.
func (m *MemoryStore) Session(_ context.Context, key string) (Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[key]
	if !ok {
		return s, ErrNoSession
	}
	return s, nil
}

// TouchSession implements Store.
func (m *MemoryStore) TouchSession(_ context.Context, key string, t time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.sessions[key]; ok {
		s.LastSeen = t
		m.sessions[key] = s
	}
	return nil
}

// DeleteSession implements Store.
func (m *MemoryStore) DeleteSession(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, key)
	return nil
}

// DeleteIdleSessions implements Store.
func (m *MemoryStore) DeleteIdleSessions(_ context.Context, before time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return deleteWhere(m.sessions, func(s Session) bool {
		return s.LastSeen.Unix() < before.Unix()
	}), nil
}

// AddUser implements Store.
func (m *MemoryStore) AddUser(_ context.Context, name string, hash []byte, _ time.Time,
	replace bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.users[name]; ok && !replace {
		return fmt.Errorf("%w: %s", ErrUserExists, name)
	}
	m.users[name] = hash
	return nil
}

// PasswordHash implements Store.
func (m *MemoryStore) PasswordHash(_ context.Context, name string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.users[name]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNoUser, name)
	}
	return h, nil
}

// Throttle implements Store.
func (m *MemoryStore) Throttle(_ context.Context, key string) (ThrottleRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return cloneRecord(m.throttles[key]), nil
}

// UpdateThrottle implements Store. When the table is full, the record
// quiet for longest makes room, so that guessing many names cannot grow
// it without bound.
func (m *MemoryStore) UpdateThrottle(_ context.Context, key string,
	update func(*ThrottleRecord)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	rec, ok := m.throttles[key]
	if !ok && len(m.throttles) >= maxThrottleEntries {
		m.dropQuietest()
	}
	rec = cloneRecord(rec)
	update(&rec)
	m.throttles[key] = rec
	return nil
}

// dropQuietest removes the record with the oldest activity. The caller
// holds m.mu.
func (m *MemoryStore) dropQuietest() {
	var oldest string
	var at time.Time
	for k, r := range m.throttles {
		if last := r.lastActive(); oldest == "" || last.Before(at) {
			oldest, at = k, last
		}
	}
	delete(m.throttles, oldest)
}

// ClearThrottle implements Store.
func (m *MemoryStore) ClearThrottle(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.throttles, key)
	return nil
}

// DeleteStaleThrottles implements Store.
func (m *MemoryStore) DeleteStaleThrottles(_ context.Context, before time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return deleteWhere(m.throttles, func(r ThrottleRecord) bool {
		return r.lastActive().Before(before)
	}), nil
}

// cloneRecord copies r, so that callers never share its failures.
func cloneRecord(r ThrottleRecord) ThrottleRecord {
	r.Failures = slices.Clone(r.Failures)
	return r
}

// deleteWhere removes the entries of m whose value matches, and returns
// how many.
func deleteWhere[V any](m map[string]V, match func(V) bool) int64 {
	var n int64
	for k, v := range m {
		if match(v) {
			delete(m, k)
			n++
		}
	}
	return n
}
