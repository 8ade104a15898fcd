package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
)

// schemaFiles holds the migrations, applied in the order of their numeric
// prefix: schema/0001_events.sql, schema/0002_....sql, ...
//
//go:embed schema/*.sql
var schemaFiles embed.FS

// migration is one numbered schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations reads the embedded schema steps, sorted by version.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(schemaFiles, "schema")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		prefix, _, ok := strings.Cut(e.Name(), "_")
		version, err := strconv.Atoi(prefix)
		if !ok || err != nil {
			return nil, fmt.Errorf("schema file %s has no numeric prefix", e.Name())
		}
		body, err := fs.ReadFile(schemaFiles, "schema/"+e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: version, name: e.Name(), sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migrate brings the database up to the newest schema. It runs in one
// transaction that holds SQLite's write lock from its first statement, so
// two processes starting at once never migrate the same database together:
// the second waits (busy timeout), then finds nothing left to do.
func migrate(ctx context.Context, db *sql.DB) error {
	steps, err := migrations()
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var current int
	row := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`)
	if err := row.Scan(&current); err != nil {
		return err
	}
	if newest := steps[len(steps)-1].version; current > newest {
		return fmt.Errorf("%w: the database is at version %d, this Parley knows up to %d;"+
			" upgrade Parley or use another data directory", ErrSchemaTooNew, current, newest)
	}
	for _, step := range steps {
		if step.version <= current {
			continue
		}
		if _, err := tx.ExecContext(ctx, step.sql); err != nil {
			return fmt.Errorf("applying %s: %w", step.name, err)
		}
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO schema_version (version) VALUES (?)`, step.version); err != nil {
			return err
		}
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
