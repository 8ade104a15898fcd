package store

import (
	"context"
	"slices"
	"sync"

	"github.com/parley-chat/parley/internal/event"
)

// Memory is a TrackerStore that keeps conversations in process memory; they
// are lost when the process stops.
type Memory struct {
	mu     sync.Mutex
	logs   map[string][]event.Event
	order  []string // conversation ids, least recently active first
	closed bool
}

var _ TrackerStore = (*Memory)(nil)

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{logs: map[string][]event.Event{}}
}

// Load implements TrackerStore.
func (m *Memory) Load(_ context.Context, id string) ([]event.Event, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	return append([]event.Event{}, m.logs[id]...), nil
}

// Append implements TrackerStore.
func (m *Memory) Append(_ context.Context, id string, events []event.Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	if len(events) == 0 {
		return nil
	}
	m.logs[id] = append(m.logs[id], events...)
	m.touch(id)
	return nil
}

// Replace implements TrackerStore.
func (m *Memory) Replace(_ context.Context, id string, events []event.Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	if len(events) == 0 {
		delete(m.logs, id)
		m.forget(id)
		return nil
	}
	m.logs[id] = slices.Clone(events)
	m.touch(id)
	return nil
}

// Conversations implements TrackerStore.
func (m *Memory) Conversations(_ context.Context) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	ids := append([]string{}, m.order...)
	slices.Reverse(ids)
	return ids, nil
}

// Close implements TrackerStore.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	return nil
}

// touch moves id to the most recently active end. The caller holds m.mu.
func (m *Memory) touch(id string) {
	m.forget(id)
	m.order = append(m.order, id)
}

// forget takes id out of the activity order. The caller holds m.mu.
func (m *Memory) forget(id string) {
	if i := slices.Index(m.order, id); i >= 0 {
		m.order = slices.Delete(m.order, i, i+1)
	}
}
