package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/sqlstore"
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
	*sqlstore.Tracker
	db *backend
}

// backend is the sqlstore.Backend on a pgx pool.
type backend struct {
	pool    *pgxpool.Pool
	webOnce sync.Once
	web     *sql.DB // made by WebDB
}

// queries are the store's reads.
var queries = sqlstore.Queries{
	Load:          `SELECT data FROM events WHERE sender_id = $1 ORDER BY id`,
	Conversations: `SELECT sender_id FROM conversations ORDER BY latest_event_id DESC`,
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
	db := &backend{pool: pool}
	return &Store{Tracker: sqlstore.NewTracker(db, queries, 0), db: db}, nil
}

// Query implements sqlstore.Backend.
func (b *backend) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows,
	func(), error) {
	rows, err := b.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	return rows, rows.Close, nil
}

// Wrap implements sqlstore.Backend.
func (b *backend) Wrap(doing string, err error) error { return wrap(doing, err) }

// Close implements sqlstore.Backend.
func (b *backend) Close() error {
	if b.web != nil {
		b.web.Close()
	}
	b.pool.Close()
	return nil
}
