package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migration is one numbered schema step: a file named NNNN_what.sql.
type Migration struct {
	Version int
	Name    string
	// Statements are run in order; a whole file is one statement unless
	// ReadMigrations was asked to split it.
	Statements []string
}

// ReadMigrations reads the *.sql files of dir in fsys, oldest first by
// their numeric prefix. With split, each file is cut into statements at
// semicolons that end a line (for drivers that run one statement at a
// time); otherwise a file is run as a whole.
func ReadMigrations(fsys fs.FS, dir string, split bool) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("reading the schema migrations: %w", err)
	}
	out := make([]Migration, 0, len(entries))
	for _, e := range entries {
		if path.Ext(e.Name()) != ".sql" {
			continue
		}
		prefix, _, ok := strings.Cut(e.Name(), "_")
		version, err := strconv.Atoi(prefix)
		if !ok || err != nil {
			return nil, fmt.Errorf("schema file %s has no numeric prefix", e.Name())
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("reading schema file %s: %w", e.Name(), err)
		}
		statements := []string{string(body)}
		if split {
			statements = SplitStatements(string(body))
		}
		out = append(out, Migration{Version: version, Name: e.Name(), Statements: statements})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no schema migrations in %s", dir)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("schema files %s and %s have the same number: give the "+
				"newer one the next free number", out[i-1].Name, out[i].Name)
		}
	}
	return out, nil
}

// SplitStatements cuts a schema file at semicolons that end a line, and
// drops blank and comment lines.
func SplitStatements(body string) []string {
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

// Conn runs a migration's statements: a connection or a transaction.
type Conn interface {
	// Exec runs one statement without arguments.
	Exec(ctx context.Context, query string) error
	// QueryRow runs a query without arguments and scans its one row.
	QueryRow(ctx context.Context, query string, dest ...any) error
}

// Dialect is what differs between the databases in a migration.
type Dialect struct {
	// Tables, when set, is a query giving two booleans: whether the
	// schema_version table and the events table exist. Migrate then
	// refuses an events table that Parley did not create (Rasa's).
	Tables string
	// Step runs one migration step by calling run; nil calls run on the
	// connection itself. PostgreSQL gives each step a transaction here.
	Step func(ctx context.Context, run func(Conn) error) error
	// Wrap adds what was being done to a database error.
	Wrap WrapFunc
	// ErrForeignTable is returned for an events table Parley did not
	// create; ErrSchemaTooNew for a database a newer Parley migrated.
	ErrForeignTable, ErrSchemaTooNew error
	// Elsewhere is where else the user may point Parley, as the errors
	// say it: "another database", "another data directory".
	Elsewhere string
}

// Migrate brings the database on conn up to the newest of steps. The
// caller holds whatever lock keeps two processes from migrating at once.
func Migrate(ctx context.Context, conn Conn, steps []Migration, d Dialect) error {
	current, err := schemaVersion(ctx, conn, d)
	if err != nil {
		return err
	}
	if newest := steps[len(steps)-1].Version; current > newest {
		return fmt.Errorf("%w: the database is at version %d, this Parley knows up to %d;"+
			" upgrade Parley or use %s", d.ErrSchemaTooNew, current, newest, d.Elsewhere)
	}
	for _, step := range steps {
		if step.Version <= current {
			continue
		}
		run := func(c Conn) error { return apply(ctx, c, step, d.Wrap) }
		if d.Step != nil {
			err = d.Step(ctx, run)
		} else {
			err = run(conn)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// schemaVersion creates the version table when missing and returns the
// newest version applied, refusing an events table Parley did not make.
func schemaVersion(ctx context.Context, conn Conn, d Dialect) (int, error) {
	if d.Tables != "" {
		var hasVersions, hasEvents bool
		if err := conn.QueryRow(ctx, d.Tables, &hasVersions, &hasEvents); err != nil {
			return 0, d.Wrap("reading the schema version", err)
		}
		if !hasVersions && hasEvents {
			return 0, fmt.Errorf("%w: point Parley at %s, and copy the conversations "+
				"over with parley data import-trackers", d.ErrForeignTable, d.Elsewhere)
		}
	}
	err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`)
	if err != nil {
		return 0, d.Wrap("creating the schema_version table", err)
	}
	var current int
	err = conn.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`, &current)
	if err != nil {
		return 0, d.Wrap("reading the schema version", err)
	}
	return current, nil
}

// apply runs the statements of one step and records it.
func apply(ctx context.Context, conn Conn, step Migration, wrap WrapFunc) error {
	for _, stmt := range step.Statements {
		if err := conn.Exec(ctx, stmt); err != nil {
			return wrap("applying "+step.Name, err)
		}
	}
	record := fmt.Sprintf(`INSERT INTO schema_version (version) VALUES (%d)`, step.Version)
	if err := conn.Exec(ctx, record); err != nil {
		return wrap("recording "+step.Name, err)
	}
	return nil
}
