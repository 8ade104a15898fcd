package watch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// project writes a small Rasa project and returns its folder.
func project(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"config.yml", "domain.yml", "data/nlu.yml", "data/rules.yml",
		"endpoints.yml", "models/old.tar.gz", "README.md"} {
		write(t, dir, name, "v1")
	}
	return dir
}

func write(t *testing.T, dir, name, body string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// manual is a watcher whose clock the test moves by hand.
type manual struct {
	t     *testing.T
	dir   string
	tick  chan time.Time
	got   chan []string
	start time.Time
}

func startManual(t *testing.T, dir string) *manual {
	t.Helper()
	m := &manual{t: t, dir: dir, tick: make(chan time.Time), got: make(chan []string, 10),
		start: time.Unix(1_000_000, 0)}
	w, err := New(Options{Paths: ProjectPaths(dir, ProjectFiles{}),
		Debounce: 500 * time.Millisecond,
		OnChange: func(_ context.Context, files []string) { m.got <- files }})
	if err != nil {
		t.Fatal(err)
	}
	w.tick = m.tick
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return m
}

// at delivers a poll at start+ms. Once it is received, the previous poll
// (and its callback) has finished.
func (m *manual) at(ms int) { m.tick <- m.start.Add(time.Duration(ms) * time.Millisecond) }

// calls returns the callbacks made so far (call after a later at).
func (m *manual) calls() [][]string {
	var out [][]string
	for {
		select {
		case files := <-m.got:
			out = append(out, files)
		default:
			return out
		}
	}
}

func (m *manual) rel(files []string) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i], _ = filepath.Rel(m.dir, f)
	}
	return out
}

func TestDebouncedBurstAndIgnoredFiles(t *testing.T) {
	dir := project(t)
	m := startManual(t, dir)
	m.at(0) // the first scan has been taken when this is received

	write(t, dir, "data/nlu.yml", "v2, longer")
	m.at(100)
	m.at(200)
	if c := m.calls(); len(c) != 0 {
		t.Fatalf("called before the files were quiet: %v", c)
	}
	write(t, dir, "domain.yml", "v2, longer")
	m.at(300)
	// None of these are read by training.
	for _, name := range []string{"models/new.tar.gz", ".parley/parley.db", "results/x.json",
		"README.md", "data/.nlu.yml.swp", "data/nlu.yml~", "tests/test_stories.yml"} {
		write(t, dir, name, "noise, longer")
	}
	m.at(700)
	if c := m.calls(); len(c) != 0 {
		t.Fatalf("called 400 ms after the last change: %v", c)
	}
	m.at(800)
	m.at(900)
	c := m.calls()
	want := []string{"data/nlu.yml", "domain.yml"}
	if len(c) != 1 || !slices.Equal(m.rel(c[0]), want) {
		t.Fatalf("want one call with %v, got %v", want, c)
	}
	m.at(5000)
	if c := m.calls(); len(c) != 0 {
		t.Errorf("called again without a change: %v", c)
	}
}

func TestAddRemoveAndDomainFolder(t *testing.T) {
	dir := project(t)
	m := startManual(t, dir)
	m.at(0)
	if err := os.Remove(filepath.Join(dir, "data/rules.yml")); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "data/more/stories.yml", "new")
	write(t, dir, "domain/slots.yml", "new") // a domain folder beside domain.yml
	write(t, dir, "credentials.yml", "rest:")
	m.at(100)
	m.at(600)
	m.at(700)
	c := m.calls()
	want := []string{"credentials.yml", "data/more/stories.yml", "data/rules.yml",
		"domain/slots.yml"}
	if len(c) != 1 || !slices.Equal(m.rel(c[0]), want) {
		t.Fatalf("want one call with %v, got %v", want, c)
	}
}

func TestRealClock(t *testing.T) {
	dir := project(t)
	got := make(chan []string, 10)
	w, err := New(Options{Paths: ProjectPaths(dir, ProjectFiles{}), Interval: 10 * time.Millisecond,
		Debounce: 30 * time.Millisecond,
		OnChange: func(_ context.Context, files []string) { got <- files }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	// Keep changing the config until the watcher has surely taken its first
	// scan and then seen a change; the callback must come.
	deadline := time.After(20 * time.Second)
	for i := 0; ; i++ {
		write(t, dir, "config.yml", "version "+string(rune('a'+i%26))+string(rune('a'+i/26%26)))
		select {
		case files := <-got:
			if len(files) != 1 || filepath.Base(files[0]) != "config.yml" {
				t.Fatalf("got %v", files)
			}
			return
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			t.Fatal("no callback after changing config.yml")
		}
	}
}

func TestProjectPathsWithFlags(t *testing.T) {
	got := ProjectPaths("/bot", ProjectFiles{Config: "cfg/pipeline.yml", Domain: "/abs/domain",
		Data: []string{"nlu", "stories"}})
	want := []string{"/bot/cfg/pipeline.yml", "/abs/domain", "/bot/endpoints.yml",
		"/bot/credentials.yml", "/bot/nlu", "/bot/stories"}
	if !slices.Equal(got, want) {
		t.Errorf("ProjectPaths = %v, want %v", got, want)
	}
	if _, err := New(Options{}); err != ErrNoCallback {
		t.Errorf("New without a callback: %v", err)
	}
}
