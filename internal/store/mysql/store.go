package mysql

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sync/atomic"

	"github.com/go-sql-driver/mysql"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/store"
)

// Config says which MySQL or MariaDB database to use.
type Config struct {
	// DSN is the driver's data source name, user:password@tcp(host:port)/db,
	// and must name a database.
	DSN string
	// MaxConns caps the open connections; 0 means defaultMaxConns.
	MaxConns int
}

// defaultMaxConns is the connection cap when Config sets none.
const defaultMaxConns = 20

// Store is a TrackerStore in MySQL or MariaDB.
type Store struct {
	db     *sql.DB
	closed atomic.Bool
}

var _ store.TrackerStore = (*Store)(nil)

// Open connects to the database of cfg and migrates its schema. It fails
// when the server cannot be reached or refuses the credentials.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	dsn, err := mysql.ParseDSN(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("store: reading the MySQL DSN: %w", err)
	}
	if dsn.DBName == "" {
		return nil, fmt.Errorf("%w: add /<database> to the DSN, or db: to tracker_store",
			ErrNoDatabase)
	}
	dsn.Collation = "utf8mb4_bin"
	dsn.InterpolateParams = true
	connector, err := mysql.NewConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: MySQL: %w", err)
	}
	db := sql.OpenDB(connector)
	conns := cfg.MaxConns
	if conns <= 0 {
		conns = defaultMaxConns
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	where := fmt.Sprintf("MySQL at %s, database %q, user %q", dsn.Addr, dsn.DBName, dsn.User)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, wrap("connecting to "+where, err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating %s: %w", where, err)
	}
	return &Store{db: db}, nil
}

// Load implements store.TrackerStore.
func (s *Store) Load(ctx context.Context, id string) ([]event.Event, error) {
	if s.closed.Load() {
		return nil, store.ErrClosed
	}
	rows, err := s.db.QueryContext(ctx,
		`SELECT data FROM events WHERE sender_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, wrap(fmt.Sprintf("loading conversation %q", id), err)
	}
	defer rows.Close()
	events := []event.Event{}
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, wrap(fmt.Sprintf("loading conversation %q", id), err)
		}
		var ev event.Event
		if err := json.Unmarshal(data, &ev); err != nil {
			return nil, fmt.Errorf("store: conversation %q has an unreadable event: %w", id, err)
		}
		events = append(events, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(fmt.Sprintf("loading conversation %q", id), err)
	}
	return events, nil
}

// Append implements store.TrackerStore.
func (s *Store) Append(ctx context.Context, id string, events []event.Event) error {
	if len(events) == 0 {
		return s.check()
	}
	return s.write(ctx, id, events, false)
}

// Replace implements store.TrackerStore.
func (s *Store) Replace(ctx context.Context, id string, events []event.Event) error {
	return s.write(ctx, id, events, true)
}

// Conversations implements store.TrackerStore.
func (s *Store) Conversations(ctx context.Context) ([]string, error) {
	if s.closed.Load() {
		return nil, store.ErrClosed
	}
	rows, err := s.db.QueryContext(ctx,
		`SELECT sender_id FROM conversations ORDER BY latest_event_id DESC`)
	if err != nil {
		return nil, wrap("listing conversations", err)
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap("listing conversations", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("listing conversations", err)
	}
	return ids, nil
}

// Close implements store.TrackerStore.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	return s.db.Close()
}

// check returns store.ErrClosed after Close.
func (s *Store) check() error {
	if s.closed.Load() {
		return store.ErrClosed
	}
	return nil
}
