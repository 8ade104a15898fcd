package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	_ "modernc.org/sqlite"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/store/sqlstore"
)

var (
	errForeign = errors.New("foreign events table")
	errTooNew  = errors.New("schema too new")
)

// schema is a two-step schema, the second file holding two statements.
var schema = fstest.MapFS{
	"schema/0002_more.sql": {Data: []byte("-- a comment\nCREATE TABLE b (x INTEGER);\n\n" +
		"CREATE TABLE c (y INTEGER);\n")},
	"schema/0001_events.sql": {Data: []byte("CREATE TABLE events (id INTEGER);\n")},
	"schema/README":          {Data: []byte("not a step")},
}

func TestReadMigrations(t *testing.T) {
	steps, err := sqlstore.ReadMigrations(schema, "schema", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 2 || steps[0].Version != 1 || steps[1].Version != 2 {
		t.Fatalf("steps = %+v, want versions 1 and 2", steps)
	}
	want := []string{"CREATE TABLE b (x INTEGER)", "CREATE TABLE c (y INTEGER)"}
	if !slices.Equal(steps[1].Statements, want) {
		t.Errorf("split statements = %q, want %q", steps[1].Statements, want)
	}
	whole, err := sqlstore.ReadMigrations(schema, "schema", false)
	if err != nil || len(whole[1].Statements) != 1 {
		t.Errorf("unsplit = %+v, %v: want the file as one statement", whole, err)
	}
	twice := fstest.MapFS{"schema/0001_a.sql": {Data: []byte("SELECT 1;")},
		"schema/0001_b.sql": {Data: []byte("SELECT 2;")}}
	if _, err := sqlstore.ReadMigrations(twice, "schema", false); err == nil ||
		!strings.Contains(err.Error(), "0001_b.sql") {
		t.Errorf("two files with one number = %v, want an error naming them", err)
	}
	bad := fstest.MapFS{"schema/first.sql": {Data: []byte("SELECT 1;")}}
	if _, err := sqlstore.ReadMigrations(bad, "schema", false); err == nil ||
		!strings.Contains(err.Error(), "first.sql") {
		t.Errorf("a file without a number = %v, want an error naming it", err)
	}
}

// openDB opens a fresh SQLite database.
func openDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dialect looks for existing tables in SQLite's catalogue.
var dialect = sqlstore.Dialect{
	Tables: `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'schema_version'),
		EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'events')`,
	Wrap: func(doing string, err error) error {
		return errors.Join(errors.New(doing), err)
	},
	ErrForeignTable: errForeign,
	ErrSchemaTooNew: errTooNew,
	Elsewhere:       "another file",
}

func TestMigrate(t *testing.T) {
	db := openDB(t)
	steps, err := sqlstore.ReadMigrations(schema, "schema", true)
	if err != nil {
		t.Fatal(err)
	}
	conn := sqlstore.DBConn(db)
	for range 2 { // the second run finds nothing to do
		if err := sqlstore.Migrate(t.Context(), conn, steps, dialect); err != nil {
			t.Fatal(err)
		}
	}
	var versions string
	err = db.QueryRow(`SELECT group_concat(version) FROM schema_version`).Scan(&versions)
	if err != nil || versions != "1,2" {
		t.Fatalf("schema_version = %q, %v; want 1,2", versions, err)
	}
	if _, err := db.Exec(`INSERT INTO c VALUES (1)`); err != nil {
		t.Errorf("the second statement of step 2 did not run: %v", err)
	}
	if _, err := db.Exec(`INSERT INTO schema_version VALUES (7)`); err != nil {
		t.Fatal(err)
	}
	err = sqlstore.Migrate(t.Context(), conn, steps, dialect)
	if !errors.Is(err, errTooNew) || !strings.Contains(err.Error(), "another file") {
		t.Errorf("a newer schema = %v, want errTooNew saying where else to go", err)
	}
}

func TestMigrateRefusesForeignEvents(t *testing.T) {
	db := openDB(t)
	if _, err := db.Exec(`CREATE TABLE events (id INTEGER, data TEXT)`); err != nil {
		t.Fatal(err)
	}
	steps, err := sqlstore.ReadMigrations(schema, "schema", true)
	if err != nil {
		t.Fatal(err)
	}
	err = sqlstore.Migrate(t.Context(), sqlstore.DBConn(db), steps, dialect)
	if !errors.Is(err, errForeign) || !strings.Contains(err.Error(), "import-trackers") {
		t.Fatalf("Migrate over a foreign events table = %v, want errForeign", err)
	}
}

func TestEncodeEvents(t *testing.T) {
	long := strings.Repeat("ü", 300)
	events := []event.Event{
		{Type: event.User, Text: "hi", Parse: &nlu.Parse{Intent: nlu.Intent{Name: long}}},
		{Type: event.Action, Name: "utter_hi"},
		{Type: event.Bot, Text: "hello"},
	}
	rows, err := sqlstore.EncodeEvents(events, 255)
	if err != nil {
		t.Fatal(err)
	}
	if got := []rune(rows[0].Intent.String); len(got) != 255 || rows[0].Action.Valid {
		t.Errorf("user row: intent of %d characters, action %v; want 255 and NULL",
			len(got), rows[0].Action)
	}
	if !strings.Contains(rows[0].Data, long) {
		t.Error("the event JSON lost part of the intent name")
	}
	if rows[1].Action.String != "utter_hi" || rows[1].Intent.Valid {
		t.Errorf("action row = %+v", rows[1])
	}
	if rows[2].Intent.Valid || rows[2].Action.Valid || rows[2].Type != event.Bot {
		t.Errorf("bot row = %+v", rows[2])
	}
	whole, err := sqlstore.EncodeEvents(events[:1], 0)
	if err != nil || whole[0].Intent.String != long {
		t.Errorf("without a limit the intent was cut: %v", err)
	}
}

func TestWrap(t *testing.T) {
	down := func(error) bool { return true }
	if err := sqlstore.Wrap("x", io.EOF, down); !errors.Is(err, sqlstore.ErrUnavailable) ||
		!errors.Is(err, io.EOF) {
		t.Errorf("Wrap of a down server = %v, want ErrUnavailable and the cause", err)
	}
	err := sqlstore.Wrap("x", context.Canceled, down)
	if errors.Is(err, sqlstore.ErrUnavailable) {
		t.Errorf("a cancelled request counted as an outage: %v", err)
	}
	if sqlstore.Wrap("x", nil, down) != nil {
		t.Error("Wrap of nil is not nil")
	}
}
