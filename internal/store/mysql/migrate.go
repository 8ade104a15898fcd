package mysql

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// schemaFiles are the migrations, applied in the order of their numeric
// prefix. Statements in a file end with a semicolon at the end of a line.
//
//go:embed schema/*.sql
var schemaFiles embed.FS

// migrationLockSeconds is how long Open waits for another process's
// migration.
const migrationLockSeconds = 120

// migration is one numbered schema step.
type migration struct {
	version    int
	name       string
	statements []string
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
		out = append(out, migration{version: version, name: e.Name(),
			statements: splitStatements(string(body))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// splitStatements cuts a schema file at semicolons that end a line, and
// drops comment lines.
func splitStatements(body string) []string {
	var out []string
	var cur strings.Builder
	for line := range strings.Lines(body) {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") || trimmed == "" {
			continue
		}
		cur.WriteString(line)
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// migrate applies the missing steps while holding a named server lock, so
// that replicas starting together take turns. MySQL commits each schema
// statement on its own: a step that fails half way leaves what it had
// created, and the error says which step failed.
func migrate(ctx context.Context, db *sql.DB) error {
	steps, err := migrations()
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return wrap("connecting to migrate", err)
	}
	defer conn.Close()
	release, err := migrationLock(ctx, conn)
	if err != nil {
		return err
	}
	defer release()
	current, err := schemaVersion(ctx, conn)
	if err != nil {
		return err
	}
	if newest := steps[len(steps)-1].version; current > newest {
		return fmt.Errorf("%w: the database is at version %d, this Parley knows up to %d;"+
			" upgrade Parley or use another database", ErrSchemaTooNew, current, newest)
	}
	for _, step := range steps {
		if step.version > current {
			if err := apply(ctx, conn, step); err != nil {
				return err
			}
		}
	}
	return nil
}

// migrationLock takes the database's migration lock on conn.
func migrationLock(ctx context.Context, conn *sql.Conn) (release func(), err error) {
	const name = "CONCAT('parley-migrate:', LEFT(DATABASE(), 40))"
	var got sql.NullInt64
	err = conn.QueryRowContext(ctx, "SELECT GET_LOCK("+name+", ?)", migrationLockSeconds).
		Scan(&got)
	if err != nil {
		return nil, wrap("taking the migration lock", err)
	}
	if got.Int64 != 1 {
		return nil, fmt.Errorf("%w (%d s)", ErrMigrationLock, migrationLockSeconds)
	}
	return func() {
		conn.ExecContext(context.WithoutCancel(ctx), "SELECT RELEASE_LOCK("+name+")")
	}, nil
}

// schemaVersion creates the version table when missing and returns the
// newest version applied, refusing an events table it did not make.
func schemaVersion(ctx context.Context, conn *sql.Conn) (int, error) {
	var hasVersions, hasEvents bool
	err := conn.QueryRowContext(ctx, `SELECT
		COUNT(CASE WHEN table_name = 'schema_version' THEN 1 END) > 0,
		COUNT(CASE WHEN table_name = 'events' THEN 1 END) > 0
		FROM information_schema.tables WHERE table_schema = DATABASE()`).
		Scan(&hasVersions, &hasEvents)
	if err != nil {
		return 0, wrap("reading the schema version", err)
	}
	if !hasVersions && hasEvents {
		return 0, fmt.Errorf("%w: point Parley at another database, and copy the "+
			"conversations over with parley data import-trackers", ErrForeignTable)
	}
	if _, err := conn.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)`); err != nil {
		return 0, wrap("creating the schema_version table", err)
	}
	var current int
	err = conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).
		Scan(&current)
	if err != nil {
		return 0, wrap("reading the schema version", err)
	}
	return current, nil
}

// apply runs the statements of one step and records it.
func apply(ctx context.Context, conn *sql.Conn, step migration) error {
	for _, stmt := range step.statements {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return wrap("applying "+step.name, err)
		}
	}
	_, err := conn.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (?)`,
		step.version)
	if err != nil {
		return wrap("recording "+step.name, err)
	}
	return nil
}
