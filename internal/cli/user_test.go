package cli

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/settings"
	"github.com/parley-chat/parley/internal/store"
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
