package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-chat/parley/internal/backup"
	"github.com/parley-chat/parley/internal/watch"
)

// prepare runs prepareServe for a command with run's settings flags.
func prepare(t *testing.T, dir string, env map[string]string, args ...string) (*startup,
	string, error) {
	t.Helper()
	var errOut bytes.Buffer
	a := &app{env: Env{Dir: dir, Stdout: &bytes.Buffer{}, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] }}}
	cmd := &cobra.Command{Use: "run"}
	addSettingsFlags(cmd)
	if err := cmd.ParseFlags(args); err != nil {
		t.Fatal(err)
	}
	st, err := a.prepareServe(cmd, true)
	return st, errOut.String(), err
}

func TestPrepareServeRefusesProduction(t *testing.T) {
	dir := writeProject(t, tinyProject)
	env := map[string]string{"PARLEY_ENV": "production", "PARLEY_DEBUG": "1"}
	_, stderr, err := prepare(t, dir, env, "--enable-api")
	var exit exitError
	if !errors.As(err, &exit) || exit.code != 1 {
		t.Fatalf("want exit 1, got %v", err)
	}
	for _, want := range []string{"PARLEY_SECRET_KEY", "PARLEY_ALLOWED_HOSTS", "PARLEY_DEBUG",
		"PARLEY_AUTH_TOKEN"} {
		if !strings.Contains(stderr, "  - "+want+": ") {
			t.Errorf("the refusal lacks %s:\n%s", want, stderr)
		}
	}
	_, stderr, err = prepare(t, dir, map[string]string{"PARLEY_PORT": "x"})
	if err == nil || !strings.Contains(stderr, "PARLEY_PORT") {
		t.Errorf("a bad value must stop the start: %v %s", err, stderr)
	}
}

func TestPrepareServeDevelopment(t *testing.T) {
	dir := writeProject(t, tinyProject)
	if err := os.Mkdir(filepath.Join(dir, "models"), 0o755); err != nil {
		t.Fatal(err)
	}
	st, stderr, err := prepare(t, dir, nil, "--data-dir", "state")
	if err != nil {
		t.Fatalf("prepareServe: %v\n%s", err, stderr)
	}
	defer st.release()
	if _, err := os.Stat(filepath.Join(dir, "state")); err != nil {
		t.Errorf("the data directory was not made: %v", err)
	}
	_, err = backup.Restore(context.Background(), "x.db", filepath.Join(dir, "state"), time.Now())
	if !errors.Is(err, backup.ErrInUse) {
		t.Errorf("restore while serving: %v", err)
	}
	if _, ok := st.metricsHandler(); !ok {
		t.Error("development serves /metrics")
	}

	changed := make(chan []string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err = st.watchProject(ctx, watch.ProjectFiles{}, dir, func(_ context.Context, c []string) {
		changed <- c
	})
	if err != nil {
		t.Fatal(err)
	}
	// The watcher polls every second and waits for quiet; edit again only
	// when an edit was missed (made before its first look at the files).
	for i := 0; ; i++ {
		nlu := tinyProject["data/nlu.yml"] + strings.Repeat("\n", i+1)
		if err := os.WriteFile(filepath.Join(dir, "data/nlu.yml"), []byte(nlu), 0o644); err != nil {
			t.Fatal(err)
		}
		select {
		case c := <-changed:
			if len(c) != 1 || filepath.Base(c[0]) != "nlu.yml" {
				t.Errorf("changed %v", c)
			}
			return
		case <-time.After(3 * time.Second):
			if i > 10 {
				t.Fatal("the watcher never reported the change")
			}
		}
	}
}

func TestPrepareServeProductionMetrics(t *testing.T) {
	dir := writeProject(t, tinyProject)
	env := map[string]string{"PARLEY_ENV": "production", "PARLEY_ALLOWED_HOSTS": "bot.example.org",
		"PARLEY_SECRET_KEY": "3f9e2d1c0b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e"}
	if err := os.Mkdir(filepath.Join(dir, "models"), 0o755); err != nil {
		t.Fatal(err)
	}
	st, stderr, err := prepare(t, dir, env)
	if err != nil {
		t.Fatalf("a valid production configuration was refused: %v\n%s", err, stderr)
	}
	defer st.release()
	if _, ok := st.metricsHandler(); ok {
		t.Error("production without PARLEY_METRICS_TOKEN must not serve /metrics")
	}
	if !strings.Contains(stderr, `"level":"WARN"`) || !strings.Contains(stderr, "/metrics is off") {
		t.Errorf("production logs JSON warnings to stderr, got:\n%s", stderr)
	}
}
