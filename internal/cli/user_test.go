package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"github.com/parley-chat/parley/internal/settings"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/mysql"
	"github.com/parley-chat/parley/internal/store/postgres"
	"github.com/parley-chat/parley/internal/store/storetest"
	"github.com/parley-chat/parley/internal/web"
)

func TestUserAdd(t *testing.T) {
	dir := writeProject(t, tinyProject)
	r := run(t, dir, "correct horse\n", "user", "add", "Admin")
	if r.code != 0 || !strings.Contains(r.stdout, "Created the inspector login admin in "+
		filepath.Join(".parley", store.DBFile)) {
		t.Fatalf("user add: %+v", r)
	}
	r = run(t, dir, "another one\n", "user", "add", "admin")
	if r.code != 1 || !strings.Contains(r.stderr, "--replace") {
		t.Errorf("adding it again: %+v", r)
	}
	if r = run(t, dir, "another one\n", "user", "add", "admin", "--replace"); r.code != 0 {
		t.Errorf("--replace: %+v", r)
	}
	cases := []struct{ stdin, name, says string }{
		{"short\n", "bob", "at least 8"},
		{"", "bob", "no password on standard input"},
		{"long enough\n", "bob smith", "letters, digits"},
	}
	for _, c := range cases {
		r := run(t, dir, c.stdin, "user", "add", c.name)
		if r.code != 1 || !strings.Contains(r.stderr, c.says) {
			t.Errorf("user add %q with %q: %+v, want %q", c.name, c.stdin, r, c.says)
		}
	}
	st, err := store.OpenSQLite(t.Context(), filepath.Join(dir, ".parley"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := web.NewSQLStore(st.WebDB()).PasswordHash(t.Context(), "admin"); err != nil {
		t.Errorf("the login is not in the database: %v", err)
	}
}

// TestUserListAndRemove: list shows the logins; remove deletes one and the
// sessions logged in with it, and a name that is not there is an error.
func TestUserListAndRemove(t *testing.T) {
	dir := writeProject(t, tinyProject)
	for _, name := range []string{"ann", "bob"} {
		if r := run(t, dir, "correct horse\n", "user", "add", name); r.code != 0 {
			t.Fatalf("user add %s: %+v", name, r)
		}
	}
	st, err := store.OpenSQLite(t.Context(), filepath.Join(dir, ".parley"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	users := web.NewSQLStore(st.WebDB())
	now := time.Now()
	if err := users.SaveSession(t.Context(), "k1", web.Session{ConversationID: "c",
		User: "ann", Created: now, LastSeen: now}); err != nil {
		t.Fatal(err)
	}
	if r := run(t, dir, "", "user", "list"); r.code != 0 ||
		!strings.Contains(r.stdout, "ann\t") || !strings.Contains(r.stdout, "bob\t") {
		t.Fatalf("user list: %+v", r)
	}
	if r := run(t, dir, "", "user", "remove", "Ann"); r.code != 0 {
		t.Fatalf("user remove: %+v", r)
	}
	if _, err := users.PasswordHash(t.Context(), "ann"); !errors.Is(err, web.ErrNoUser) {
		t.Errorf("ann is still a login: %v", err)
	}
	if _, err := users.Session(t.Context(), "k1"); !errors.Is(err, web.ErrNoSession) {
		t.Errorf("ann's session was not ended: %v", err)
	}
	if r := run(t, dir, "", "user", "list"); strings.Contains(r.stdout, "ann") ||
		!strings.Contains(r.stdout, "bob") {
		t.Errorf("user list after remove: %+v", r)
	}
	if r := run(t, dir, "", "user", "remove", "ann"); r.code != 1 ||
		!strings.Contains(r.stderr, "no inspector login ann") {
		t.Errorf("removing a login that is not there: %+v", r)
	}
}

// TestWebConfig: a serving command gives the web app Parley's settings,
// the store's database and a development key kept in the data directory;
// production without a secret key is refused.
func TestWebConfig(t *testing.T) {
	dir := writeProject(t, tinyProject)
	env := map[string]string{"PARLEY_EMBED_ORIGINS": "https://shop.example",
		"PARLEY_SESSION_IDLE": "2d", web.EnvGreeting: "/greet"}
	a := &app{env: Env{Dir: dir, Getenv: func(k string) string { return env[k] }},
		log: slog.New(slog.DiscardHandler)}
	ts, err := store.OpenSQLite(context.Background(), filepath.Join(dir, ".parley"))
	if err != nil {
		t.Fatal(err)
	}
	defer ts.Close()
	load := func() *settings.Settings {
		s, err := settings.Load(settings.Input{Dir: dir, LookupEnv: a.lookupEnv})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	cfg, err := a.webConfig(load(), &serveFlags{}, ts)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DB == nil || cfg.Train == nil || cfg.ResultsDir != filepath.Join(dir, "results") ||
		cfg.SessionIdle != 48*time.Hour || cfg.Greeting != "/greet" ||
		len(cfg.EmbedOrigins) != 1 || len(cfg.TrustedProxies) != 2 || cfg.Production {
		t.Errorf("config: %+v", cfg)
	}
	if _, err := os.Stat(filepath.Join(dir, ".parley", web.SecretKeyFile)); err != nil {
		t.Errorf("no development key: %v", err)
	}
	env["PARLEY_ENV"], env["PARLEY_ALLOWED_HOSTS"] = "production", "chat.example.com"
	if _, err := a.webConfig(load(), &serveFlags{}, ts); err == nil ||
		!strings.Contains(err.Error(), "PARLEY_SECRET_KEY") {
		t.Errorf("production without a key: %v", err)
	}
}

// runWithEnv runs the CLI like run, with environment variables.
func runWithEnv(t *testing.T, dir, stdin string, env map[string]string,
	args ...string) output {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Execute(t.Context(), args, Env{Dir: dir, Stdin: strings.NewReader(stdin),
		Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }})
	return output{code: code, stdout: out.String(), stderr: errOut.String()}
}

// TestUserAddPostgres: with an SQL tracker_store in endpoints.yml the
// login goes to that PostgreSQL database (its own schema here), where the
// web app of `parley run` finds it.
func TestUserAddPostgres(t *testing.T) {
	serverURL, schema := storetest.PostgresSchema(t)
	dir := writeProject(t, tinyProject)
	writeEndpoints(t, dir, "tracker_store:\n  type: SQL\n  dialect: postgresql\n"+
		"  url: \""+serverURL+"\"\n")
	env := map[string]string{"POSTGRESQL_SCHEMA": schema}
	r := runWithEnv(t, dir, "correct horse\n", env, "user", "add", "Admin")
	if r.code != 0 || !strings.Contains(r.stdout, "PostgreSQL tracker store of endpoints.yml") {
		t.Fatalf("user add: %+v", r)
	}
	if r := runWithEnv(t, dir, "another one\n", env, "user", "add", "admin"); r.code != 1 ||
		!strings.Contains(r.stderr, "--replace") {
		t.Errorf("adding it again: %+v", r)
	}
	st, err := postgres.Open(t.Context(), postgres.Config{URL: serverURL, Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := web.NewSQLStore(st.WebDB()).PasswordHash(t.Context(), "admin"); err != nil {
		t.Errorf("the login is not in PostgreSQL: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".parley", store.DBFile)); err == nil {
		t.Error("user add also wrote a SQLite database in the data directory")
	}
}

// TestUserAddMySQL: the same with a MySQL tracker_store.
func TestUserAddMySQL(t *testing.T) {
	dsn := storetest.MySQLDSN(t)
	dir := writeProject(t, tinyProject)
	cfg, err := mysqldriver.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(cfg.Addr, ":")
	writeEndpoints(t, dir, fmt.Sprintf("tracker_store:\n  type: SQL\n  dialect: mysql\n"+
		"  url: %q\n  port: %s\n  username: %q\n  password: %q\n  db: %q\n",
		host, port, cfg.User, cfg.Passwd, cfg.DBName))
	r := run(t, dir, "correct horse\n", "user", "add", "ops")
	if r.code != 0 || !strings.Contains(r.stdout, "MySQL tracker store of endpoints.yml") {
		t.Fatalf("user add: %+v", r)
	}
	st, err := mysql.Open(t.Context(), mysql.Config{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := web.NewSQLStore(st.WebDB()).PasswordHash(t.Context(), "ops"); err != nil {
		t.Errorf("the login is not in MySQL: %v", err)
	}
}

// TestUserAddRefusals: a store that keeps no logins, or cannot be opened,
// is an error that says what to do; nothing falls back to SQLite.
func TestUserAddRefusals(t *testing.T) {
	dir := writeProject(t, tinyProject)
	r := run(t, dir, "correct horse\n", "user", "add", "ops", "--store", "memory")
	if r.code != 1 || !strings.Contains(r.stderr, "--store sqlite") {
		t.Errorf("memory store: %+v", r)
	}
	writeEndpoints(t, dir, "tracker_store:\n  type: SQL\n  dialect: postgresql\n"+
		"  url: 127.0.0.1\n  port: 1\n  db: parley\n")
	r = run(t, dir, "correct horse\n", "user", "add", "ops")
	if r.code != 1 || !strings.Contains(r.stderr, "127.0.0.1:1") {
		t.Errorf("unreachable PostgreSQL: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, ".parley", store.DBFile)); err == nil {
		t.Error("a failed user add wrote a SQLite database instead")
	}
}

// writeEndpoints writes endpoints.yml into the project dir.
func writeEndpoints(t *testing.T, dir, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "endpoints.yml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
