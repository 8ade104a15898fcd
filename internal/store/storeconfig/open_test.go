package storeconfig

import (
	"bytes"
	"errors"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	driver "github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"

	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/storetest"
)

// roundTrip appends to and loads from st, and closes it.
func roundTrip(t *testing.T, st store.TrackerStore) {
	t.Helper()
	defer st.Close()
	want := storetest.Conversation(3, "cfg")
	if err := st.Append(t.Context(), "c", want); err != nil {
		t.Fatal(err)
	}
	got, err := st.Load(t.Context(), "c")
	if err != nil {
		t.Fatal(err)
	}
	storetest.SameEvents(t, got, want)
}

// postgresParts returns the test server's host, port and user as
// tracker_store keys.
func postgresParts(t *testing.T) map[string]any {
	t.Helper()
	u, err := url.Parse(storetest.PostgresURL(t))
	if err != nil {
		t.Skip("the test server is given as a DSN, not a URL")
	}
	m := map[string]any{"type": "SQL", "dialect": "postgresql", "url": u.Hostname(),
		"port": u.Port(), "username": u.User.Username()}
	if pw, ok := u.User.Password(); ok {
		m["password"] = pw
	}
	if mode := u.Query().Get("sslmode"); mode != "" {
		m["query"] = map[string]any{"sslmode": mode}
	}
	return m
}

func TestPostgresWithLoginDB(t *testing.T) {
	m := postgresParts(t)
	m["db"] = storetest.PostgresDatabaseName(t)
	m["login_db"] = "postgres"
	st, kind, err := OpenTrackerStore(t.Context(), m, testPos, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if kind != KindPostgres {
		t.Fatalf("kind %q", kind)
	}
	roundTrip(t, st)
}

func TestPostgresSchemaFromEnv(t *testing.T) {
	serverURL, schema := storetest.PostgresSchema(t)
	m := map[string]any{"type": "sql", "dialect": "postgresql", "url": serverURL}
	opts := Options{LookupEnv: env(map[string]string{"POSTGRESQL_SCHEMA": schema})}
	st, _, err := OpenTrackerStore(t.Context(), m, testPos, opts)
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, st)
}

func TestMySQLParts(t *testing.T) {
	serverDSN, name := storetest.MySQLDatabase(t)
	cfg, err := driver.ParseDSN(serverDSN)
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(cfg.Addr, ":")
	m := map[string]any{"type": "SQL", "dialect": "mysql", "url": host, "port": port,
		"username": cfg.User, "password": cfg.Passwd, "db": name}
	st, kind, err := OpenTrackerStore(t.Context(), m, testPos, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if kind != KindMySQL {
		t.Fatalf("kind %q", kind)
	}
	roundTrip(t, st)
}

func TestRedisTrackerStore(t *testing.T) {
	u := storetest.RedisURL(t)
	prefix := storetest.UniqueName("cfgtest")
	storetest.DeleteKeysWith(t, u, prefix)
	peek := redis.NewClient(mustRedisOptions(t, u))
	defer peek.Close()
	m := map[string]any{"type": "redis", "url": u, "key_prefix": prefix, "record_exp": 600}
	st, kind, err := OpenTrackerStore(t.Context(), m, testPos, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if kind != KindRedis {
		t.Fatalf("kind %q", kind)
	}
	roundTrip(t, st)
	if ttl := peek.TTL(t.Context(), prefix+":tracker:c").Val(); ttl <= 0 {
		t.Fatalf("key %s:tracker:c has time to live %v, want record_exp", prefix, ttl)
	}
}

func mustRedisOptions(t *testing.T, u string) *redis.Options {
	t.Helper()
	o, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestSQLiteDataDir(t *testing.T) {
	base := t.TempDir()
	st, kind, err := OpenTrackerStore(t.Context(), map[string]any{"type": "SQL",
		"db": "convs"}, testPos, Options{BaseDir: base})
	if err != nil || kind != KindSQLite {
		t.Fatalf("kind %q, error %v", kind, err)
	}
	roundTrip(t, st)
	if _, err := os.Stat(filepath.Join(base, "convs", store.DBFile)); err != nil {
		t.Fatalf("no database in the named data directory: %v", err)
	}
	os.WriteFile(filepath.Join(base, "rasa.db"), []byte("SQLite format 3\x00"), 0o644)
	_, _, err = OpenTrackerStore(t.Context(), map[string]any{"type": "SQL", "dialect": "sqlite",
		"db": "rasa.db"}, testPos, Options{BaseDir: base})
	if !errors.Is(err, ErrRasaSQLiteFile) || !strings.Contains(err.Error(), "import-trackers") {
		t.Fatalf("a Rasa SQLite file = %v, want ErrRasaSQLiteFile", err)
	}
}

// TestTrackerStoreRefusals: every misconfiguration is an error naming the
// place in endpoints.yml; none falls back to memory.
func TestTrackerStoreRefusals(t *testing.T) {
	cases := []struct {
		name    string
		section map[string]any
		want    error
	}{
		{"mongo", map[string]any{"type": "mongod"}, ErrUnknownType},
		{"custom class", map[string]any{"type": "addons.MyStore"}, ErrUnknownType},
		{"postgres down", map[string]any{"type": "SQL", "dialect": "postgresql",
			"url": "127.0.0.1", "port": 1, "db": "x"}, store.ErrUnavailable},
		{"mysql down", map[string]any{"type": "SQL", "dialect": "mysql", "url": "127.0.0.1",
			"port": 1, "db": "x"}, store.ErrUnavailable},
		{"redis down", map[string]any{"type": "redis", "url": "127.0.0.1", "port": 1},
			store.ErrUnavailable},
		{"bad key_prefix", map[string]any{"type": "redis", "key_prefix": "a b"}, ErrBadSetting},
		{"bad record_exp", map[string]any{"type": "redis", "record_exp": "soon"}, ErrBadSetting},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, _, err := OpenTrackerStore(t.Context(), c.section, testPos, Options{})
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), "endpoints.yml:4:1") {
				t.Fatalf("error %v, want %v naming endpoints.yml:4:1", err, c.want)
			}
			if st != nil {
				t.Fatal("a store came back with the error")
			}
		})
	}
	if st, _, err := OpenTrackerStore(t.Context(), nil, testPos, Options{}); st != nil ||
		err != nil {
		t.Fatalf("no section = %v, %v; want nil, nil", st, err)
	}
}

func TestBadCredentials(t *testing.T) {
	m := postgresParts(t)
	m["username"], m["password"], m["db"] = "parley_no_such_role", "x", "postgres"
	_, _, err := OpenTrackerStore(t.Context(), m, testPos, Options{})
	if err == nil || !strings.Contains(err.Error(), "parley_no_such_role") {
		t.Fatalf("unknown user = %v, want an error naming the user", err)
	}
}

// TestBuildWarnsAboutInProcessLock: a shared tracker store with the
// in-process lock store logs what to configure.
func TestBuildWarnsAboutInProcessLock(t *testing.T) {
	u := storetest.RedisURL(t)
	prefix := storetest.UniqueName("cfgtest")
	storetest.DeleteKeysWith(t, u, prefix)
	var logs bytes.Buffer
	e := project.Endpoints{TrackerStore: map[string]any{"type": "redis", "url": u,
		"key_prefix": prefix}, Pos: map[string]project.Pos{"tracker_store": testPos}}
	stores, err := Build(t.Context(), e, Options{Logger: slog.New(slog.NewTextHandler(&logs,
		nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer stores.Close(t.Context())
	if stores.LockKind != LockInProcess || stores.Broker != nil {
		t.Fatalf("lock %q, broker %v", stores.LockKind, stores.Broker)
	}
	if !strings.Contains(logs.String(), "lock_store") {
		t.Fatalf("no warning about the lock store in %q", logs.String())
	}
}
