package modelsync_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"

	"github.com/parley-chat/parley/internal/modelsync"
	"github.com/parley-chat/parley/internal/store/postgres"
	"github.com/parley-chat/parley/internal/store/storetest"
)

// testRegistry runs the cases every Registry must pass.
func testRegistry(t *testing.T, reg modelsync.Registry) {
	ctx := t.Context()
	started := time.Now().UTC().Truncate(time.Millisecond)
	a := modelsync.Replica{ID: "a-1", Host: "ha", ModelID: "m1", Fingerprint: "f1",
		StartedAt: started, LockStore: modelsync.InProcessLock}
	b := modelsync.Replica{ID: "b-2", Host: "hb", ModelID: "m2", Fingerprint: "f2",
		StartedAt: started}
	for _, r := range []modelsync.Replica{b, a} {
		if err := reg.Beat(ctx, r); err != nil {
			t.Fatalf("Beat %s: %v", r.ID, err)
		}
	}
	a.ModelID = "m3"
	if err := reg.Beat(ctx, a); err != nil {
		t.Fatal(err)
	}
	live, err := reg.Live(ctx, modelsync.LiveWithin)
	if err != nil {
		t.Fatal(err)
	}
	if len(live) != 2 || live[0].ID != "a-1" || live[1].ID != "b-2" {
		t.Fatalf("Live %+v, want a-1 then b-2", live)
	}
	got := live[0]
	if got.ModelID != "m3" || got.Host != "ha" || got.Fingerprint != "f1" ||
		!got.StartedAt.Equal(started) || got.LockStore != modelsync.InProcessLock {
		t.Errorf("a-1 read back as %+v, want model m3, host ha, started %v, lock store %s",
			got, started, modelsync.InProcessLock)
	}
	if got.SeenSecondsAgo < 0 || got.SeenSecondsAgo > 60 {
		t.Errorf("seen %v s ago, want a fresh heartbeat", got.SeenSecondsAgo)
	}
	if err := reg.Leave(ctx, "b-2"); err != nil {
		t.Fatal(err)
	}
	live, err = reg.Live(ctx, modelsync.LiveWithin)
	if err != nil || len(live) != 1 || live[0].ID != "a-1" {
		t.Errorf("after b-2 left: %+v (%v)", live, err)
	}
}

func TestPostgresRegistry(t *testing.T) {
	url, schema := storetest.PostgresSchema(t)
	st, err := postgres.Open(t.Context(), postgres.Config{URL: url, Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	reg, err := modelsync.NewSQLRegistry(t.Context(), st.WebDB(), modelsync.DialectPostgres)
	if err != nil {
		t.Fatal(err)
	}
	// A second registry on the same table finds it made.
	if _, err := modelsync.NewSQLRegistry(t.Context(), st.WebDB(),
		modelsync.DialectPostgres); err != nil {
		t.Fatal(err)
	}
	// The table of an older version, without lock_store, gets the column.
	if _, err := st.WebDB().ExecContext(t.Context(),
		`ALTER TABLE parley_replicas DROP COLUMN lock_store`); err != nil {
		t.Fatal(err)
	}
	if _, err := modelsync.NewSQLRegistry(t.Context(), st.WebDB(),
		modelsync.DialectPostgres); err != nil {
		t.Fatalf("upgrading an older table: %v", err)
	}
	testRegistry(t, reg)
	testAging(t, reg, func(ctx context.Context, id string) {
		_, err := st.WebDB().ExecContext(ctx, `UPDATE parley_replicas
			SET heartbeat_at = now() - interval '3 minutes' WHERE id = $1`, id)
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestMySQLRegistry(t *testing.T) {
	dsn, name := storetest.MySQLDatabase(t)
	// Without parseTime, as a DSN written in endpoints.yml may be.
	db, err := sql.Open("mysql", dsn+name)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	reg, err := modelsync.NewSQLRegistry(t.Context(), db, modelsync.DialectMySQL)
	if err != nil {
		t.Fatal(err)
	}
	// Again on the same table, then on the table of an older version.
	if _, err := modelsync.NewSQLRegistry(t.Context(), db, modelsync.DialectMySQL); err != nil {
		t.Fatalf("a second registry: %v", err)
	}
	if _, err := db.ExecContext(t.Context(),
		`ALTER TABLE parley_replicas DROP COLUMN lock_store`); err != nil {
		t.Fatal(err)
	}
	if _, err := modelsync.NewSQLRegistry(t.Context(), db, modelsync.DialectMySQL); err != nil {
		t.Fatalf("upgrading an older table: %v", err)
	}
	testRegistry(t, reg)
	testAging(t, reg, func(ctx context.Context, id string) {
		_, err := db.ExecContext(ctx, `UPDATE parley_replicas
			SET heartbeat_at = UTC_TIMESTAMP(6) - INTERVAL 3 MINUTE WHERE id = ?`, id)
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestRedisRegistry(t *testing.T) {
	url := storetest.RedisURL(t)
	prefix := storetest.KeyPrefix(t, url)
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	client := redis.NewClient(opts)
	defer client.Close()
	reg := modelsync.NewRedisRegistry(client, prefix)
	testRegistry(t, reg)
	testAging(t, reg, func(ctx context.Context, id string) {
		// An expired heartbeat is a key that is gone.
		keys, err := client.Keys(ctx, "*"+prefix+"*"+id).Result()
		if err != nil || len(keys) != 1 {
			t.Fatalf("keys of %s: %v %v", id, keys, err)
		}
		client.Del(ctx, keys[0])
	})
}

// testAging checks that a replica whose heartbeat is older than
// LiveWithin is not live; age makes a heartbeat old.
func testAging(t *testing.T, reg modelsync.Registry,
	age func(ctx context.Context, id string)) {
	ctx := t.Context()
	old := modelsync.Replica{ID: "old-3", Host: "ho", ModelID: "m9", StartedAt: time.Now()}
	if err := reg.Beat(ctx, old); err != nil {
		t.Fatal(err)
	}
	age(ctx, old.ID)
	live, err := reg.Live(ctx, modelsync.LiveWithin)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range live {
		if r.ID == old.ID {
			t.Errorf("a replica silent for 3 minutes is still live: %+v", r)
		}
	}
}
