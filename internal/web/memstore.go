package web

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// MemoryStore is a Store in process memory, lost when the process stops:
// the web app uses it when it has no database.
type MemoryStore struct {
	mu       sync.Mutex
	sessions map[string]Session
	users    map[string][]byte
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{sessions: map[string]Session{}, users: map[string][]byte{}}
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
	var n int64
	for k, s := range m.sessions {
		if s.LastSeen.Unix() < before.Unix() {
			delete(m.sessions, k)
			n++
		}
	}
	return n, nil
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
