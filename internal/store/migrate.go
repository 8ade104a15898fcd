package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"os"

	"github.com/parley-chat/parley/internal/store/sqlstore"
)

// schemaFiles holds the migrations, applied in the order of their numeric
// prefix: schema/0001_events.sql, schema/0002_....sql, ...
//
//go:embed schema/*.sql
var schemaFiles embed.FS

// sqliteDialect is SQLite's side of the shared migration. Parley owns the
// database file, so there is no foreign table to look for.
var sqliteDialect = sqlstore.Dialect{
	Wrap:            func(doing string, err error) error { return fmt.Errorf("%s: %w", doing, err) },
	ErrSchemaTooNew: ErrSchemaTooNew,
	Elsewhere:       "another data directory",
}

// migrate brings the database up to the newest schema. It runs in one
// transaction that holds SQLite's write lock from its first statement, so
// two processes starting at once never migrate the same database together:
// the second waits (busy timeout), then finds nothing left to do.
func migrate(ctx context.Context, db *sql.DB) error {
	steps, err := sqlstore.ReadMigrations(schemaFiles, "schema", false)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := sqlstore.Migrate(ctx, sqlstore.DBConn(tx), steps, sqliteDialect); err != nil {
		return err
	}
	return tx.Commit()
}

// PrepareDataDir makes sure dir exists and is a directory, creating it (and
// its parents) when missing.
func PrepareDataDir(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case err == nil && !info.IsDir():
		return fmt.Errorf("%w: %s exists and is not a directory; remove or rename it, "+
			"or choose another place with --data-dir", ErrDataDirIsFile, dir)
	case err == nil:
		return nil
	case !os.IsNotExist(err):
		return fmt.Errorf("store: data directory %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("store: creating data directory %s: %w", dir, err)
	}
	return nil
}

// Kinds of tracker store that Open knows.
const (
	KindSQLite = "sqlite"
	KindMemory = "memory"
)

// Open returns the tracker store of the given kind: "sqlite" keeps
// conversations in dir (created and migrated as needed), "memory" keeps
// them in process memory and ignores dir.
func Open(ctx context.Context, kind, dir string) (TrackerStore, error) {
	switch kind {
	case KindSQLite:
		return OpenSQLite(ctx, dir)
	case KindMemory:
		return NewMemory(), nil
	}
	return nil, fmt.Errorf("%w %q: use %q or %q", ErrUnknownKind, kind, KindSQLite, KindMemory)
}
