package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// schemaFiles are the migrations, applied in the order of their numeric
// prefix.
//
//go:embed schema/*.sql
var schemaFiles embed.FS

// migration is one numbered schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations reads the embedded schema steps, oldest first.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(schemaFiles, "schema")
	if err != nil {
		return nil, err
	}
	out := make([]migration, 0, len(entries))
	for _, e := range entries {
		prefix, _, _ := strings.Cut(e.Name(), "_")
		version, err := strconv.Atoi(prefix)
		if err != nil {
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

// migrate creates schema when it is not empty and missing, then applies
// the missing steps, all under an advisory lock so that replicas starting
// together take turns.
func migrate(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	steps, err := migrations()
	if err != nil {
		return err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return wrap("connecting to migrate", err)
	}
	defer conn.Release()
	key := "parley-migrate:" + schema
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext($1))", key); err != nil {
		return wrap("taking the migration lock", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(hashtext($1))", key)
	if schema != "" {
		stmt := "CREATE SCHEMA IF NOT EXISTS " + pgx.Identifier{schema}.Sanitize()
		if _, err := conn.Exec(ctx, stmt); err != nil {
			return wrap("creating schema "+schema, err)
		}
	}
	current, err := schemaVersion(ctx, conn.Conn())
	if err != nil {
		return err
	}
	if newest := steps[len(steps)-1].version; current > newest {
		return fmt.Errorf("%w: the database is at version %d, this Parley knows up to %d;"+
			" upgrade Parley or use another database", ErrSchemaTooNew, current, newest)
	}
	for _, step := range steps {
		if step.version > current {
			if err := apply(ctx, conn.Conn(), step); err != nil {
				return err
			}
		}
	}
	return nil
}

// schemaVersion creates the version table when missing and returns the
// newest version applied, refusing an events table it did not make.
func schemaVersion(ctx context.Context, conn *pgx.Conn) (int, error) {
	var hasVersions, hasEvents bool
	err := conn.QueryRow(ctx, `SELECT to_regclass('schema_version') IS NOT NULL,
		to_regclass('events') IS NOT NULL`).Scan(&hasVersions, &hasEvents)
	if err != nil {
		return 0, wrap("reading the schema version", err)
	}
	if !hasVersions && hasEvents {
		return 0, fmt.Errorf("%w: point Parley at another database or schema, and copy "+
			"the conversations over with parley data import-trackers", ErrForeignTable)
	}
	if _, err := conn.Exec(ctx,
		`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return 0, wrap("creating the schema_version table", err)
	}
	var current int
	err = conn.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).
		Scan(&current)
	if err != nil {
		return 0, wrap("reading the schema version", err)
	}
	return current, nil
}

// apply runs one step and records it, in one transaction.
func apply(ctx context.Context, conn *pgx.Conn, step migration) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return wrap("starting a migration", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, step.sql); err != nil {
		return wrap("applying "+step.name, err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, step.version)
	if err != nil {
		return wrap("recording "+step.name, err)
	}
	return wrap("committing "+step.name, tx.Commit(ctx))
}
