package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"sync/atomic"

	"github.com/parley-chat/parley/internal/event"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// DBFile is the name of the SQLite database inside the data directory.
const DBFile = "parley.db"

// busyTimeoutMS is how long a connection waits for another one's lock
// before SQLite reports "database is locked".
const busyTimeoutMS = 10000

// SQLite is a TrackerStore kept in a SQLite database in a data directory.
// Every write goes through one connection, so writers queue in process
// instead of fighting over SQLite's lock; reads use a pool of their own
// (WAL lets them run beside the writer).
type SQLite struct {
	write  *sql.DB
	read   *sql.DB
	path   string
	closed atomic.Bool
}

var _ TrackerStore = (*SQLite)(nil)

// OpenSQLite opens (creating and migrating as needed) the database in the
// data directory dir, which is created when missing.
func OpenSQLite(ctx context.Context, dir string) (*SQLite, error) {
	if err := PrepareDataDir(dir); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, DBFile)
	write, err := openDB(path, "_txlock=exclusive")
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	if err := migrate(ctx, write); err != nil {
		write.Close()
		return nil, fmt.Errorf("store: migrating %s: %w", path, err)
	}
	read, err := openDB(path, "_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, err
	}
	return &SQLite{write: write, read: read, path: path}, nil
}

// openDB opens a handle on path with WAL, the busy timeout and extra
// query parameters.
func openDB(path, extra string) (*sql.DB, error) {
	u := url.URL{Path: path}
	dsn := fmt.Sprintf("file:%s?_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)"+
		"&_pragma=synchronous(NORMAL)&%s", u.EscapedPath(), busyTimeoutMS, extra)
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	return db, nil
}

// Path returns the database file's path.
func (s *SQLite) Path() string { return s.path }

// Load implements TrackerStore.
func (s *SQLite) Load(ctx context.Context, id string) ([]event.Event, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	rows, err := s.read.QueryContext(ctx,
		`SELECT data FROM events WHERE sender_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: loading conversation %q: %w", id, err)
	}
	defer rows.Close()
	events := []event.Event{}
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("store: loading conversation %q: %w", id, err)
		}
		var ev event.Event
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			return nil, fmt.Errorf("store: conversation %q has an unreadable event: %w", id, err)
		}
		events = append(events, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: loading conversation %q: %w", id, err)
	}
	return events, nil
}

// Append implements TrackerStore.
func (s *SQLite) Append(ctx context.Context, id string, events []event.Event) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return insertEvents(ctx, tx, id, events)
	})
}

// Replace implements TrackerStore.
func (s *SQLite) Replace(ctx context.Context, id string, events []event.Event) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM events WHERE sender_id = ?`, id); err != nil {
			return err
		}
		return insertEvents(ctx, tx, id, events)
	})
}

// Conversations implements TrackerStore.
func (s *SQLite) Conversations(ctx context.Context) ([]string, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	rows, err := s.read.QueryContext(ctx,
		`SELECT sender_id FROM events GROUP BY sender_id ORDER BY MAX(id) DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: listing conversations: %w", err)
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: listing conversations: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Close implements TrackerStore.
func (s *SQLite) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	return errors.Join(s.read.Close(), s.write.Close())
}

// inTx runs fn in a write transaction on the single writer connection.
func (s *SQLite) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.closed.Load() {
		return ErrClosed
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: starting a write: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return fmt.Errorf("store: writing events: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: committing events: %w", err)
	}
	return nil
}

// insertEvents appends events to conversation id inside tx.
func insertEvents(ctx context.Context, tx *sql.Tx, id string, events []event.Event) error {
	if len(events) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO events
		(sender_id, type_name, timestamp, intent_name, action_name, data)
		VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := range events {
		ev := &events[i]
		data, err := json.Marshal(ev)
		if err != nil {
			return fmt.Errorf("encoding %s event: %w", ev.Type, err)
		}
		intent, action := indexColumns(ev)
		_, err = stmt.ExecContext(ctx, id, ev.Type, ev.Timestamp, intent, action, string(data))
		if err != nil {
			return err
		}
	}
	return nil
}

// indexColumns returns the intent_name and action_name columns of ev: the
// intent of a user event and the name of an action event, NULL otherwise.
func indexColumns(ev *event.Event) (intent, action sql.NullString) {
	switch ev.Type {
	case event.User:
		if ev.Parse != nil && ev.Parse.Intent.Name != "" {
			intent = sql.NullString{String: ev.Parse.Intent.Name, Valid: true}
		}
	case event.Action:
		action = sql.NullString{String: ev.Name, Valid: ev.Name != ""}
	}
	return intent, action
}
