package mysql_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	driver "github.com/go-sql-driver/mysql"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/mysql"
	"github.com/parley-chat/parley/internal/store/storetest"
)

// openDatabase opens a store in a fresh database of the test server.
func openDatabase(t *testing.T) (*mysql.Store, mysql.Config) {
	t.Helper()
	serverDSN, name := storetest.MySQLDatabase(t)
	cfg := mysql.Config{DSN: storetest.MySQLDSNFor(t, serverDSN, name)}
	s, err := mysql.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, cfg
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.TrackerStore {
		s, _ := openDatabase(t)
		return s
	})
}

func TestCaseSensitiveIDsAndLongNames(t *testing.T) {
	s, _ := openDatabase(t)
	ann, lower := storetest.Conversation(2, "Ann"), storetest.Conversation(3, "ann")
	long := storetest.Conversation(2, strings.Repeat("ü", 300))
	for id, evs := range map[string][]event.Event{"Ann": ann, "ann": lower, "long": long} {
		if err := s.Append(t.Context(), id, evs); err != nil {
			t.Fatalf("Append %s: %v", id, err)
		}
	}
	got, err := s.Load(t.Context(), "Ann")
	if err != nil {
		t.Fatal(err)
	}
	storetest.SameEvents(t, got, ann)
	got, err = s.Load(t.Context(), "long")
	if err != nil {
		t.Fatal(err)
	}
	storetest.SameEvents(t, got, long)
}

// TestConcurrentOpen starts several stores on one new database at once, as
// replicas do: GET_LOCK lets exactly one of them migrate.
func TestConcurrentOpen(t *testing.T) {
	serverDSN, name := storetest.MySQLDatabase(t)
	cfg := mysql.Config{DSN: storetest.MySQLDSNFor(t, serverDSN, name)}
	storetest.OpenConcurrently(t, 6, func() (store.TrackerStore, error) {
		s, err := mysql.Open(t.Context(), cfg)
		if err != nil {
			return nil, err
		}
		return s, nil
	})
	var versions, distinct int
	query(t, cfg.DSN, "SELECT COUNT(*) FROM schema_version", &versions)
	query(t, cfg.DSN, "SELECT COUNT(DISTINCT version) FROM schema_version", &distinct)
	if versions != distinct {
		t.Fatalf("schema_version has %d rows for %d steps: a step was applied twice",
			versions, distinct)
	}
}

func TestRefusals(t *testing.T) {
	serverDSN, name := storetest.MySQLDatabase(t)
	dsn := storetest.MySQLDSNFor(t, serverDSN, name)
	query(t, dsn, `CREATE TABLE events (id INT AUTO_INCREMENT PRIMARY KEY,
		sender_id VARCHAR(255), data TEXT)`, nil)
	if _, err := mysql.Open(t.Context(), mysql.Config{DSN: dsn}); !errors.Is(err,
		mysql.ErrForeignTable) {
		t.Errorf("Open on a Rasa events table = %v, want ErrForeignTable", err)
	}
	if _, err := mysql.Open(t.Context(), mysql.Config{DSN: serverDSN}); !errors.Is(err,
		mysql.ErrNoDatabase) {
		t.Errorf("Open without a database = %v, want ErrNoDatabase", err)
	}
	_, err := mysql.Open(t.Context(), mysql.Config{DSN: "root@tcp(127.0.0.1:1)/x"})
	if !errors.Is(err, store.ErrUnavailable) || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("Open on a closed port = %v, want ErrUnavailable naming the address", err)
	}
	cfg, _ := driver.ParseDSN(dsn)
	cfg.User, cfg.Passwd = "parley_no_such_user", "wrong"
	_, err = mysql.Open(t.Context(), mysql.Config{DSN: cfg.FormatDSN()})
	if err == nil || errors.Is(err, store.ErrUnavailable) ||
		!strings.Contains(err.Error(), "parley_no_such_user") {
		t.Errorf("Open with bad credentials = %v, want an error naming the user", err)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	s, cfg := openDatabase(t)
	s.Close()
	query(t, cfg.DSN, "INSERT INTO schema_version VALUES (9999)", nil)
	if _, err := mysql.Open(t.Context(), cfg); !errors.Is(err, mysql.ErrSchemaTooNew) {
		t.Fatalf("Open = %v, want ErrSchemaTooNew", err)
	}
}

// query runs stmt on dsn, scanning one value into dst when it is not nil.
func query(t *testing.T, dsn, stmt string, dst any) {
	t.Helper()
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if dst == nil {
		_, err = db.ExecContext(ctx, stmt)
	} else {
		err = db.QueryRowContext(ctx, stmt).Scan(dst)
	}
	if err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

func TestOutage(t *testing.T) {
	serverDSN, name := storetest.MySQLDatabase(t)
	cfg, err := driver.ParseDSN(serverDSN)
	if err != nil {
		t.Fatal(err)
	}
	proxy := storetest.NewProxy(t, cfg.Addr)
	cfg.Addr, cfg.DBName = proxy.Addr(), name
	s, err := mysql.Open(t.Context(), mysql.Config{DSN: cfg.FormatDSN()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckOutage(t, proxy, s)
}
