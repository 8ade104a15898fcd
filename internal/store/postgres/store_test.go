package postgres_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/postgres"
	"github.com/parley-chat/parley/internal/store/storetest"
)

// openSchema opens a store in a fresh schema of the test server.
func openSchema(t *testing.T) (*postgres.Store, postgres.Config) {
	t.Helper()
	serverURL, schema := storetest.PostgresSchema(t)
	cfg := postgres.Config{URL: serverURL, Schema: schema}
	s, err := postgres.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, cfg
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.TrackerStore {
		s, _ := openSchema(t)
		return s
	})
}

func TestReopenKeepsConversations(t *testing.T) {
	s, cfg := openSchema(t)
	want := storetest.Conversation(7, "keep")
	if err := s.Append(t.Context(), "k", want); err != nil {
		t.Fatal(err)
	}
	s.Close()
	again, err := postgres.Open(t.Context(), cfg)
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	defer again.Close()
	got, err := again.Load(t.Context(), "k")
	if err != nil {
		t.Fatal(err)
	}
	storetest.SameEvents(t, got, want)
}

// TestConcurrentOpen starts several stores on one new schema at once, as
// replicas do: the advisory lock lets exactly one of them migrate.
func TestConcurrentOpen(t *testing.T) {
	serverURL, schema := storetest.PostgresSchema(t)
	cfg := postgres.Config{URL: serverURL, Schema: schema + "_x"}
	t.Cleanup(func() { exec(t, serverURL, "DROP SCHEMA IF EXISTS "+cfg.Schema+" CASCADE") })
	storetest.OpenConcurrently(t, 6, func() (store.TrackerStore, error) {
		s, err := postgres.Open(t.Context(), cfg)
		if err != nil {
			return nil, err
		}
		return s, nil
	})
	var versions, distinct int
	queryRow(t, serverURL, "SELECT COUNT(*) FROM "+cfg.Schema+".schema_version", &versions)
	queryRow(t, serverURL, "SELECT COUNT(DISTINCT version) FROM "+cfg.Schema+
		".schema_version", &distinct)
	if versions != distinct {
		t.Fatalf("schema_version has %d rows for %d steps: a step was applied twice",
			versions, distinct)
	}
}

func TestRefusesRasaTable(t *testing.T) {
	serverURL, schema := storetest.PostgresSchema(t)
	exec(t, serverURL, "CREATE TABLE "+schema+`.events (id SERIAL PRIMARY KEY,
		sender_id VARCHAR(255), type_name VARCHAR(255), timestamp FLOAT,
		intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)`)
	_, err := postgres.Open(t.Context(), postgres.Config{URL: serverURL, Schema: schema})
	if !errors.Is(err, postgres.ErrForeignTable) {
		t.Fatalf("Open on a Rasa events table = %v, want ErrForeignTable", err)
	}
	if !strings.Contains(err.Error(), "import-trackers") {
		t.Errorf("the error does not say how to move the conversations: %v", err)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	s, cfg := openSchema(t)
	s.Close()
	exec(t, cfg.URL, "INSERT INTO "+cfg.Schema+".schema_version VALUES (9999)")
	if _, err := postgres.Open(t.Context(), cfg); !errors.Is(err, postgres.ErrSchemaTooNew) {
		t.Fatalf("Open = %v, want ErrSchemaTooNew", err)
	}
}

func TestUnreachableAndBadCredentials(t *testing.T) {
	serverURL := storetest.PostgresURL(t)
	u, err := url.Parse(serverURL)
	if err != nil {
		t.Skip("the test server is given as a DSN, not a URL")
	}
	down := *u
	down.Host = "127.0.0.1:1"
	_, err = postgres.Open(t.Context(), postgres.Config{URL: down.String()})
	if !errors.Is(err, store.ErrUnavailable) || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("Open on a closed port = %v, want ErrUnavailable naming the address", err)
	}
	stranger := *u
	stranger.User = url.UserPassword("parley_no_such_role", "x")
	_, err = postgres.Open(t.Context(), postgres.Config{URL: stranger.String()})
	if err == nil || !strings.Contains(err.Error(), "parley_no_such_role") {
		t.Errorf("Open with an unknown user = %v, want an error naming the user", err)
	}
}

func TestEnsureDatabase(t *testing.T) {
	serverURL := storetest.PostgresURL(t)
	name := storetest.PostgresDatabaseName(t)
	for range 2 { // the second call finds it
		if err := postgres.EnsureDatabase(t.Context(), serverURL, name); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	queryRow(t, serverURL, "SELECT COUNT(*) FROM pg_database WHERE datname = '"+name+"'", &n)
	if n != 1 {
		t.Fatalf("database %s: %d rows in pg_database, want 1", name, n)
	}
}

func exec(t *testing.T, serverURL, stmt string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), serverURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

func queryRow(t *testing.T, serverURL, query string, dst any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), serverURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(t.Context(), query).Scan(dst); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func TestOutage(t *testing.T) {
	serverURL, schema := storetest.PostgresSchema(t)
	u, err := url.Parse(serverURL)
	if err != nil {
		t.Skip("the test server is given as a DSN, not a URL")
	}
	proxy := storetest.NewProxy(t, u.Host)
	u.Host = proxy.Addr()
	s, err := postgres.Open(t.Context(), postgres.Config{URL: u.String(), Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckOutage(t, proxy, s)
}

// TestWebTables: the web app's tables exist and take its $n SQL through
// WebDB.
func TestWebTables(t *testing.T) {
	s, _ := openSchema(t)
	db := s.WebDB()
	_, err := db.ExecContext(t.Context(), `INSERT INTO web_users (name, password_hash, created_at)
		VALUES ($1, $2, $3)`, "ann", "hash", 1700000000)
	if err != nil {
		t.Fatal(err)
	}
	var hash string
	err = db.QueryRowContext(t.Context(), `SELECT password_hash FROM web_users WHERE name = $1`,
		"ann").Scan(&hash)
	if err != nil || hash != "hash" {
		t.Fatalf("read back %q, %v", hash, err)
	}
}
