package modelsync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/go-sql-driver/mysql"
)

// SQL dialects of NewSQLRegistry.
const (
	DialectPostgres = "postgresql"
	DialectMySQL    = "mysql"
)

// replicasTable is the table the replicas record themselves in, beside
// the events. It is created on first use, apart from the store's numbered
// migrations: it holds no conversation data and can be dropped at any time.
const replicasTable = "parley_replicas"

// sqlStatements are one dialect's statements.
type sqlStatements struct {
	create []string
	beat   string
	live   string
	leave  string
	prune  string
}

var postgresStatements = sqlStatements{
	create: []string{
		// One creator at a time: two replicas starting together would
		// otherwise race in the catalogue.
		`SELECT pg_advisory_xact_lock(hashtext('parley_replicas'))`,
		`CREATE TABLE IF NOT EXISTS parley_replicas (
			id TEXT PRIMARY KEY,
			host TEXT NOT NULL,
			model_id TEXT NOT NULL,
			fingerprint TEXT NOT NULL,
			started_at TIMESTAMPTZ NOT NULL,
			heartbeat_at TIMESTAMPTZ NOT NULL)`,
		// Added in a later version: tables of older replicas lack it.
		`ALTER TABLE parley_replicas ADD COLUMN IF NOT EXISTS lock_store TEXT NOT NULL
			DEFAULT ''`,
	},
	beat: `INSERT INTO parley_replicas
			(id, host, model_id, fingerprint, started_at, lock_store, heartbeat_at)
		VALUES ($1, $2, $3, $4, $5, $6, now())
		ON CONFLICT (id) DO UPDATE SET model_id = EXCLUDED.model_id,
			fingerprint = EXCLUDED.fingerprint, lock_store = EXCLUDED.lock_store,
			heartbeat_at = now()`,
	live: `SELECT id, host, model_id, fingerprint, started_at, lock_store,
			EXTRACT(EPOCH FROM now() - heartbeat_at)::float8
		FROM parley_replicas
		WHERE heartbeat_at > now() - make_interval(secs => $1)
		ORDER BY id`,
	leave: `DELETE FROM parley_replicas WHERE id = $1`,
	prune: `DELETE FROM parley_replicas WHERE heartbeat_at < now() - interval '1 day'`,
}

var mysqlStatements = sqlStatements{
	create: []string{
		`CREATE TABLE IF NOT EXISTS parley_replicas (
			id VARCHAR(191) NOT NULL PRIMARY KEY,
			host VARCHAR(255) NOT NULL,
			model_id VARCHAR(64) NOT NULL,
			fingerprint VARCHAR(128) NOT NULL,
			started_at DATETIME(6) NOT NULL,
			heartbeat_at DATETIME(6) NOT NULL)`,
		// Added in a later version: tables of older replicas lack it. A
		// duplicate column (MySQL has no IF NOT EXISTS here) is ignored.
		`ALTER TABLE parley_replicas ADD COLUMN lock_store VARCHAR(32) NOT NULL DEFAULT ''`,
	},
	beat: `INSERT INTO parley_replicas
			(id, host, model_id, fingerprint, started_at, lock_store, heartbeat_at)
		VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))
		ON DUPLICATE KEY UPDATE model_id = VALUES(model_id),
			fingerprint = VALUES(fingerprint), lock_store = VALUES(lock_store),
			heartbeat_at = UTC_TIMESTAMP(6)`,
	live: `SELECT id, host, model_id, fingerprint,
			DATE_FORMAT(started_at, '%Y-%m-%d %H:%i:%s.%f'), lock_store,
			TIMESTAMPDIFF(MICROSECOND, heartbeat_at, UTC_TIMESTAMP(6)) / 1000000.0
		FROM parley_replicas
		WHERE heartbeat_at > UTC_TIMESTAMP(6) - INTERVAL ? MICROSECOND
		ORDER BY id`,
	leave: `DELETE FROM parley_replicas WHERE id = ?`,
	prune: `DELETE FROM parley_replicas WHERE heartbeat_at < UTC_TIMESTAMP(6) - INTERVAL 1 DAY`,
}

// SQLRegistry is a Registry in the parley_replicas table of a PostgreSQL
// or MySQL database. Times come from the database's clock, so replicas
// whose clocks differ still agree on who is live.
type SQLRegistry struct {
	db      *sql.DB
	dialect string
	stmts   sqlStatements
}

var _ Registry = (*SQLRegistry)(nil)

// NewSQLRegistry creates the table when missing and returns the
// registry. The caller keeps db open while the registry is used, and
// closes it.
func NewSQLRegistry(ctx context.Context, db *sql.DB, dialect string) (*SQLRegistry, error) {
	r := &SQLRegistry{db: db, dialect: dialect}
	switch dialect {
	case DialectPostgres:
		r.stmts = postgresStatements
	case DialectMySQL:
		r.stmts = mysqlStatements
	default:
		return nil, fmt.Errorf("replica registry: unknown SQL dialect %q", dialect)
	}
	if err := r.create(ctx); err != nil {
		return nil, fmt.Errorf("creating the %s table: %w", replicasTable, err)
	}
	return r, nil
}

// create makes the table in one transaction.
func (r *SQLRegistry) create(ctx context.Context) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range r.stmts.create {
		if _, err := tx.ExecContext(ctx, stmt); err != nil && !duplicateColumn(err) {
			return err
		}
	}
	return tx.Commit()
}

// Kind implements Registry.
func (r *SQLRegistry) Kind() string { return r.dialect }

// Beat implements Registry; it also deletes replicas silent for a day.
func (r *SQLRegistry) Beat(ctx context.Context, rep Replica) error {
	if _, err := r.db.ExecContext(ctx, r.stmts.beat, rep.ID, rep.Host, rep.ModelID,
		rep.Fingerprint, rep.StartedAt.UTC(), rep.LockStore); err != nil {
		return err
	}
	_, err := r.db.ExecContext(ctx, r.stmts.prune)
	return err
}

// Live implements Registry.
func (r *SQLRegistry) Live(ctx context.Context, within time.Duration) ([]Replica, error) {
	var arg any = within.Seconds()
	if r.dialect == DialectMySQL {
		arg = within.Microseconds()
	}
	rows, err := r.db.QueryContext(ctx, r.stmts.live, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Replica
	for rows.Next() {
		var rep Replica
		var started dbTime
		if err := rows.Scan(&rep.ID, &rep.Host, &rep.ModelID, &rep.Fingerprint,
			&started, &rep.LockStore, &rep.SeenSecondsAgo); err != nil {
			return nil, err
		}
		rep.StartedAt = time.Time(started).UTC()
		out = append(out, rep)
	}
	return out, rows.Err()
}

// Leave implements Registry.
func (r *SQLRegistry) Leave(ctx context.Context, id string) error {
	_, err := r.db.ExecContext(ctx, r.stmts.leave, id)
	return err
}

// duplicateColumn reports whether err is MySQL's "Duplicate column name"
// (1060): the column a later version adds is there already.
func duplicateColumn(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == 1060
}

// dbTime scans a timestamp given as a time (PostgreSQL) or as UTC text
// (MySQL, whose driver returns text unless the DSN sets parseTime).
type dbTime time.Time

// mysqlTime is the layout of the MySQL query's started_at.
const mysqlTime = "2006-01-02 15:04:05.999999"

// Scan implements sql.Scanner.
func (t *dbTime) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		*t = dbTime(v)
		return nil
	case []byte:
		return t.parse(string(v))
	case string:
		return t.parse(v)
	}
	return fmt.Errorf("reading a time from %T", v)
}

func (t *dbTime) parse(s string) error {
	parsed, err := time.Parse(mysqlTime, s)
	if err != nil {
		return fmt.Errorf("reading a time: %w", err)
	}
	*t = dbTime(parsed)
	return nil
}
