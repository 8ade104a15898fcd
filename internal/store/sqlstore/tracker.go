package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/parley-chat/parley/internal/event"
)

// ErrClosed is returned by a store used after Close; store.ErrClosed is
// this same error.
var ErrClosed = errors.New("store: closed")

// Backend is what a Tracker needs of one database.
type Backend interface {
	// Query runs a read and returns its rows and the function that closes
	// them.
	Query(ctx context.Context, query string, args ...any) (Rows, func(), error)
	// Write appends rows to conversation id in one transaction, after
	// deleting its events when replace is set. A conversation left with no
	// events is no longer listed. Appends to one conversation take turns,
	// and each batch gets increasing ids above the ones before.
	Write(ctx context.Context, id string, rows []Row, replace bool) error
	// Wrap adds what was being done to a database error.
	Wrap(doing string, err error) error
	// Close closes the database handles.
	Close() error
}

// Queries are a Tracker's reads, with the database's placeholders.
type Queries struct {
	// Load selects the data column of the events of one conversation (the
	// only parameter), oldest first.
	Load string
	// Conversations selects the ids of the conversations that have
	// events, most recently active first.
	Conversations string
}

// Tracker is a tracker store (store.TrackerStore) on a SQL database: the
// rules every SQL store shares (closing, empty writes, encoding, errors)
// around a Backend that talks to the database.
type Tracker struct {
	backend  Backend
	queries  Queries
	maxChars int
	closed   atomic.Bool
}

// NewTracker returns the tracker store on b. maxNameChars, when above 0,
// is the width of the intent_name and action_name columns.
func NewTracker(b Backend, q Queries, maxNameChars int) *Tracker {
	return &Tracker{backend: b, queries: q, maxChars: maxNameChars}
}

// Load returns the conversation's events, oldest first; an empty, non-nil
// slice for an unknown conversation.
func (t *Tracker) Load(ctx context.Context, id string) ([]event.Event, error) {
	if t.closed.Load() {
		return nil, ErrClosed
	}
	rows, done, err := t.backend.Query(ctx, t.queries.Load, id)
	if err != nil {
		return nil, t.backend.Wrap(fmt.Sprintf("loading conversation %q", id), err)
	}
	defer done()
	return ReadEvents(id, rows, t.backend.Wrap)
}

// Append adds events to the end of the conversation's log; no events
// change nothing.
func (t *Tracker) Append(ctx context.Context, id string, events []event.Event) error {
	if len(events) == 0 {
		return t.check()
	}
	return t.write(ctx, id, events, false)
}

// Replace swaps the conversation's log for events; with none, the
// conversation is gone.
func (t *Tracker) Replace(ctx context.Context, id string, events []event.Event) error {
	return t.write(ctx, id, events, true)
}

// Conversations lists the conversation ids, most recently active first.
func (t *Tracker) Conversations(ctx context.Context) ([]string, error) {
	if t.closed.Load() {
		return nil, ErrClosed
	}
	rows, done, err := t.backend.Query(ctx, t.queries.Conversations)
	if err != nil {
		return nil, t.backend.Wrap("listing conversations", err)
	}
	defer done()
	return ReadIDs(rows, t.backend.Wrap)
}

// Close closes the backend; a second Close does nothing.
func (t *Tracker) Close() error {
	if t.closed.Swap(true) {
		return nil
	}
	return t.backend.Close()
}

// write encodes events and hands them to the backend.
func (t *Tracker) write(ctx context.Context, id string, events []event.Event,
	replace bool) error {
	if err := t.check(); err != nil {
		return err
	}
	rows, err := EncodeEvents(events, t.maxChars)
	if err != nil {
		return fmt.Errorf("store: writing to conversation %q: %w", id, err)
	}
	if err := t.backend.Write(ctx, id, rows, replace); err != nil {
		return t.backend.Wrap(fmt.Sprintf("writing to conversation %q", id), err)
	}
	return nil
}

// check returns ErrClosed after Close.
func (t *Tracker) check() error {
	if t.closed.Load() {
		return ErrClosed
	}
	return nil
}
