package importer

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"path/filepath"
	"slices"
	"testing"

	driver "github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/storetest"
)

// fillTable creates Rasa's table in db and inserts rasaRows with the
// driver's placeholders.
func fillTable(t *testing.T, db *sql.DB, idColumn, insert string) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, rasaTable(idColumn)); err != nil {
		t.Fatal(err)
	}
	for _, r := range rasaRows() {
		_, err := db.ExecContext(ctx, insert, r.sender, r.typeName, r.timestamp,
			sql.NullString{String: r.intent, Valid: r.intent != ""},
			sql.NullString{String: r.action, Valid: r.action != ""}, r.data)
		if err != nil {
			t.Fatal(err)
		}
	}
}

const insertQ = `INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name,
	data) VALUES (?, ?, ?, ?, ?, ?)`

// checkImport imports src into a memory store and checks the result.
func checkImport(t *testing.T, src Source) {
	t.Helper()
	defer src.Close()
	dst := store.NewMemory()
	rep, err := Import(t.Context(), src, dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Report{Conversations: 2, Events: 10, Dropped: 1}); rep != want {
		t.Fatalf("report %+v, want %+v", rep, want)
	}
	ids, _ := dst.Conversations(t.Context())
	if !slices.Equal(ids, []string{"ann", "ben"}) {
		t.Fatalf("conversations %q, want ann (newest) then ben", ids)
	}
	ann, _ := dst.Load(t.Context(), "ann")
	if len(ann) != 8 || ann[2].Text != "a pizza 🍕 please" || ann[2].Parse.Intent.Name != "order" {
		t.Fatalf("ann's user event: %+v", ann)
	}
	if ann[4].Type != event.ActiveLoop || ann[4].Name != "pizza_form" || ann[6].Value != "size" {
		t.Fatalf("ann's form state was not kept: %+v %+v", ann[4], ann[6])
	}
	again, err := Import(t.Context(), src, dst, Options{})
	if err != nil || again.Skipped != 2 || again.Conversations != 0 {
		t.Fatalf("second import: %+v, %v; want both skipped", again, err)
	}
	over, err := Import(t.Context(), src, dst, Options{Overwrite: true})
	if err != nil || over.Conversations != 2 {
		t.Fatalf("overwrite: %+v, %v", over, err)
	}
	if ann2, _ := dst.Load(t.Context(), "ann"); len(ann2) != 8 {
		t.Fatalf("overwrite left %d events, want 8", len(ann2))
	}
}

func TestSQLite(t *testing.T) {
	dir := t.TempDir()
	db, err := sql.Open("sqlite", filepath.Join(dir, "rasa.db"))
	if err != nil {
		t.Fatal(err)
	}
	fillTable(t, db, "INTEGER PRIMARY KEY", insertQ)
	db.Close()
	src, err := OpenSource(t.Context(), map[string]any{"type": "SQL", "dialect": "sqlite",
		"db": "rasa.db"}, project.Pos{}, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkImport(t, src)
}

func TestPostgres(t *testing.T) {
	serverURL, schema := storetest.PostgresSchema(t)
	u, err := url.Parse(serverURL)
	if err != nil {
		t.Skip("the test server is given as a DSN, not a URL")
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fillTable(t, db, "SERIAL PRIMARY KEY", `INSERT INTO events (sender_id, type_name, timestamp,
		intent_name, action_name, data) VALUES ($1, $2, $3, $4, $5, $6)`)
	env := func(k string) (string, bool) { return schema, k == "POSTGRESQL_SCHEMA" }
	src, err := OpenSource(t.Context(), map[string]any{"type": "SQL", "dialect": "postgresql",
		"url": serverURL}, project.Pos{}, "", env)
	if err != nil {
		t.Fatal(err)
	}
	checkImport(t, src)
}

func TestMySQL(t *testing.T) {
	serverDSN, name := storetest.MySQLDatabase(t)
	cfg, err := driver.ParseDSN(serverDSN)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DBName = name
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fillTable(t, db, "INTEGER AUTO_INCREMENT PRIMARY KEY", insertQ)
	src, err := OpenSource(t.Context(), map[string]any{"type": "SQL", "dialect": "mysql",
		"url": cfg.FormatDSN()}, project.Pos{}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	checkImport(t, src)
}

func TestRedis(t *testing.T) {
	u := storetest.RedisURL(t)
	prefix := storetest.UniqueName("imptest")
	storetest.DeleteKeysWith(t, u, prefix)
	opts, _ := redis.ParseURL(u)
	client := redis.NewClient(opts)
	defer client.Close()
	for sender, value := range rasaRecords() {
		client.Set(t.Context(), prefix+":tracker:"+sender, value, 0)
	}
	client.Set(t.Context(), prefix+":tracker:junk", "not json", 0)
	src, err := OpenSource(t.Context(), map[string]any{"type": "redis", "url": u,
		"key_prefix": prefix}, project.Pos{}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	checkImport(t, src)
}

func TestSourceRefusals(t *testing.T) {
	dir := t.TempDir()
	db, _ := sql.Open("sqlite", filepath.Join(dir, "empty.db"))
	db.Exec("CREATE TABLE other (x INT)")
	db.Close()
	_, err := OpenSource(t.Context(), map[string]any{"type": "SQL", "db": "empty.db"},
		project.Pos{}, dir, nil)
	if !errors.Is(err, ErrNoEventsTable) {
		t.Errorf("a database without events = %v, want ErrNoEventsTable", err)
	}
	_, err = OpenSource(t.Context(), map[string]any{"type": "mongod"}, project.Pos{}, "", nil)
	if !errors.Is(err, ErrNotRasaStore) {
		t.Errorf("mongod = %v, want ErrNotRasaStore", err)
	}
	_, err = OpenSource(t.Context(), map[string]any{"type": "redis", "url": "127.0.0.1",
		"port": 1}, project.Pos{}, "", nil)
	if err == nil {
		t.Error("a Redis that is down gave no error")
	}
}
