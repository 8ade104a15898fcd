package importer

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"

	_ "github.com/go-sql-driver/mysql" // registers "mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"github.com/parley-chat/parley/internal/store/storeconfig"
)

// SQL reads Rasa's events table.
type SQL struct {
	db     *sql.DB
	driver string
}

var _ Source = (*SQL)(nil)

// OpenSQL opens a database/sql database ("sqlite", "pgx" or "mysql"
// driver) and checks that it has an events table.
func OpenSQL(ctx context.Context, driver, dsn string) (*SQL, error) {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("importer: opening the %s database: %w", driver, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("importer: connecting to the %s database: %w", driver, err)
	}
	var n int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE 1 = 0`).Scan(&n)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("%w: %w", ErrNoEventsTable, err)
	}
	return &SQL{db: db, driver: driver}, nil
}

// Conversations implements Source.
func (s *SQL) Conversations(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx,
		`SELECT sender_id FROM events GROUP BY sender_id ORDER BY MAX(id)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Events implements Source.
func (s *SQL) Events(ctx context.Context, id string) ([]json.RawMessage, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT data FROM events WHERE sender_id = `+
		s.placeholder()+` ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []json.RawMessage
	for rows.Next() {
		var data sql.NullString
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		if data.Valid {
			out = append(out, json.RawMessage(data.String))
		}
	}
	return out, rows.Err()
}

// placeholder is the driver's first bind parameter.
func (s *SQL) placeholder() string {
	if s.driver == "pgx" {
		return "$1"
	}
	return "?"
}

// Close implements Source.
func (s *SQL) Close() error { return s.db.Close() }

// sqlDriver returns the driver and DSN of SQL settings read from a Rasa
// tracker_store section; a SQLite db is Rasa's database file.
func sqlDriver(cfg storeconfig.SQLSettings) (driver, dsn string) {
	switch cfg.Dialect {
	case storeconfig.DialectPostgres:
		if cfg.Schema == "" {
			return "pgx", cfg.URL
		}
		u, err := url.Parse(cfg.URL)
		if err != nil {
			return "pgx", cfg.URL
		}
		q := u.Query()
		q.Set("search_path", cfg.Schema)
		u.RawQuery = q.Encode()
		return "pgx", u.String()
	case storeconfig.DialectMySQL:
		return "mysql", cfg.URL
	}
	path := cfg.URL
	if path == "" {
		path = "rasa.db"
	}
	return "sqlite", "file:" + (&url.URL{Path: path}).EscapedPath() + "?mode=ro"
}
