package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"

	"github.com/parley-chat/parley/internal/store/sqlstore"

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
	*sqlstore.Tracker
	db *sqliteBackend
}

// sqliteBackend is the sqlstore.Backend on the writing and reading handles.
type sqliteBackend struct {
	write *sql.DB
	read  *sql.DB
	path  string
}

// sqliteQueries are the store's reads.
var sqliteQueries = sqlstore.Queries{
	Load:          `SELECT data FROM events WHERE sender_id = ? ORDER BY id`,
	Conversations: `SELECT sender_id FROM events GROUP BY sender_id ORDER BY MAX(id) DESC`,
}

var _ TrackerStore = (*SQLite)(nil)

// OpenSQLite opens (creating and migrating as needed) the database in the
// data directory dir, which is created when missing.
func OpenSQLite(ctx context.Context, dir string) (*SQLite, error) {
	if err := PrepareDataDir(dir); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, DBFile)
	release, err := lockForOpening(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer release()
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
	if err == nil {
		err = read.PingContext(ctx) // its first connection, inside the lock too
	}
	if err != nil {
		write.Close()
		if read != nil {
			read.Close()
		}
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	db := &sqliteBackend{write: write, read: read, path: path}
	return &SQLite{Tracker: sqlstore.NewTracker(db, sqliteQueries, 0), db: db}, nil
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
func (s *SQLite) Path() string { return s.db.path }

// Query implements sqlstore.Backend, on the reading handles.
func (b *sqliteBackend) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows,
	func(), error) {
	return sqlstore.QueryDB(ctx, b.read, query, args...)
}

// Write implements sqlstore.Backend, in a transaction on the single
// writer connection.
func (b *sqliteBackend) Write(ctx context.Context, id string, rows []sqlstore.Row,
	replace bool) error {
	tx, err := b.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("starting a write: %w", err)
	}
	defer tx.Rollback()
	if replace {
		if _, err := tx.ExecContext(ctx, `DELETE FROM events WHERE sender_id = ?`, id); err != nil {
			return err
		}
	}
	if err := insertEvents(ctx, tx, id, rows); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}

// Wrap implements sqlstore.Backend.
func (b *sqliteBackend) Wrap(doing string, err error) error {
	return fmt.Errorf("store: %s: %w", doing, err)
}

// Close implements sqlstore.Backend.
func (b *sqliteBackend) Close() error {
	return errors.Join(b.read.Close(), b.write.Close())
}

// insertEvents appends rows to conversation id inside tx.
func insertEvents(ctx context.Context, tx *sql.Tx, id string, rows []sqlstore.Row) error {
	if len(rows) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO events
		(sender_id, type_name, timestamp, intent_name, action_name, data)
		VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, r := range rows {
		_, err = stmt.ExecContext(ctx, id, r.Type, r.Timestamp, r.Intent, r.Action, r.Data)
		if err != nil {
			return err
		}
	}
	return nil
}
