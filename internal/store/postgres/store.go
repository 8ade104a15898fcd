package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/store"
)

// Config says which PostgreSQL database to use.
type Config struct {
	// URL is a postgres:// URL or a key=value DSN, as libpq reads them.
	URL string
	// Schema, when set, is the schema to keep the tables in (created when
	// missing); otherwise the connection's search path decides.
	Schema string
	// MaxConns caps the connection pool; 0 means defaultMaxConns.
	MaxConns int32
}

// defaultMaxConns is the pool size when Config sets none: enough for
// many conversations at once, while three replicas stay well under
// PostgreSQL's default limit of 100 connections.
const defaultMaxConns = 20

// Store is a TrackerStore in PostgreSQL.
type Store struct {
	pool    *pgxpool.Pool
	closed  atomic.Bool
	webOnce sync.Once
	web     *sql.DB // made by WebDB
}

var _ store.TrackerStore = (*Store)(nil)

// Open connects to the database of cfg and migrates its schema. It fails
// when the server cannot be reached or refuses the credentials.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	poolCfg, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("store: reading the PostgreSQL URL: %w", err)
	}
	if cfg.Schema != "" {
		poolCfg.ConnConfig.RuntimeParams["search_path"] = cfg.Schema
	}
	poolCfg.MaxConns = defaultMaxConns
	if cfg.MaxConns > 0 {
		poolCfg.MaxConns = cfg.MaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, poolCfg)
	if err != nil {
		return nil, fmt.Errorf("store: PostgreSQL: %w", err)
	}
	where := fmt.Sprintf("PostgreSQL at %s:%d, database %q, user %q", poolCfg.ConnConfig.Host,
		poolCfg.ConnConfig.Port, poolCfg.ConnConfig.Database, poolCfg.ConnConfig.User)
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, wrap("connecting to "+where, err)
	}
	if err := migrate(ctx, pool, cfg.Schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrating %s: %w", where, err)
	}
	return &Store{pool: pool}, nil
}

// Load implements store.TrackerStore.
func (s *Store) Load(ctx context.Context, id string) ([]event.Event, error) {
	if s.closed.Load() {
		return nil, store.ErrClosed
	}
	rows, err := s.pool.Query(ctx, `SELECT data FROM events WHERE sender_id = $1 ORDER BY id`, id)
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
	rows, err := s.pool.Query(ctx,
		`SELECT sender_id FROM conversations ORDER BY latest_event_id DESC`)
	if err != nil {
		return nil, wrap("listing conversations", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, wrap("listing conversations", err)
	}
	if ids == nil {
		ids = []string{}
	}
	return ids, nil
}

// Close implements store.TrackerStore.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	if s.web != nil {
		s.web.Close()
	}
	s.pool.Close()
	return nil
}

// check returns store.ErrClosed after Close.
func (s *Store) check() error {
	if s.closed.Load() {
		return store.ErrClosed
	}
	return nil
}
