package mysql

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/go-sql-driver/mysql"

	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/sqlstore"
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
	*sqlstore.Tracker
	db *backend
}

// backend is the sqlstore.Backend on a database/sql handle.
type backend struct{ db *sql.DB }

// queries are the store's reads.
var queries = sqlstore.Queries{
	Load:          `SELECT data FROM events WHERE sender_id = ? ORDER BY id`,
	Conversations: `SELECT sender_id FROM conversations ORDER BY latest_event_id DESC`,
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
	b := &backend{db: db}
	return &Store{Tracker: sqlstore.NewTracker(b, queries, indexColumnChars), db: b}, nil
}

// Query implements sqlstore.Backend.
func (b *backend) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows,
	func(), error) {
	return sqlstore.QueryDB(ctx, b.db, query, args...)
}

// Wrap implements sqlstore.Backend.
func (b *backend) Wrap(doing string, err error) error { return wrap(doing, err) }

// Close implements sqlstore.Backend.
func (b *backend) Close() error { return b.db.Close() }
