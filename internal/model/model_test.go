package model

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/project"
)

// files of a tiny project, written into a temporary folder by newProject.
var tinyFiles = map[string]string{
	"config.yml":             "recipe: default.v1\nlanguage: en\n",
	"domain.yml":             "version: \"3.1\"\nintents: [greet, goodbye]\n",
	"data/nlu.yml":           "version: \"3.1\"\nnlu: []\n",
	"data/stories.yml":       "version: \"3.1\"\nstories: []\n",
	"tests/test_stories.yml": "version: \"3.1\"\nstories: []\n",
	"endpoints.yml":          "",
}

// newProject writes tinyFiles and returns a project over them (built by
// hand, so this package's tests do not depend on the project loader).
func newProject(t *testing.T) *project.Project {
	t.Helper()
	root := t.TempDir()
	p := &project.Project{
		Root:   root,
		Config: project.Config{Language: "en", AssistantID: "tiny", PipelineDefaulted: true, PoliciesDefaulted: true},
		Domain: &domain.Domain{
			Version: "3.1",
			Intents: []domain.Intent{{Name: "greet"}, {Name: "goodbye"}, {Name: "größe"}},
			Responses: map[string][]domain.Response{
				"utter_greet": {{Text: "Hallo 👋 🇩🇪 👨‍👩‍👧"}},
			},
		},
	}
	for _, ex := range []struct{ text, intent string }{
		{"hello", "greet"}, {"hi there", "greet"}, {"good morning", "greet"},
		{"bye", "goodbye"}, {"see you later", "goodbye"}, {"good night", "goodbye"},
		{"welche größe", "größe"}, {"größe bitte", "größe"}, {"meine größe", "größe"},
	} {
		p.NLU.Examples = append(p.NLU.Examples, project.Example{Text: ex.text, Intent: ex.intent})
	}
	for name, body := range tinyFiles {
		writeFile(t, filepath.Join(root, name), body)
		p.Files = append(p.Files, name)
	}
	return p
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTrainLoadRoundTrip(t *testing.T) {
	p := newProject(t)
	out := filepath.Join(p.Root, "models")
	when := time.Date(2024, 5, 6, 7, 8, 9, 0, time.Local)
	res, err := Train(t.Context(), p, TrainOptions{Out: out, Now: func() time.Time { return when }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Reused {
		t.Fatal("first training reused a model")
	}
	base := filepath.Base(res.Model.Path)
	if !strings.HasPrefix(base, "20240506-070809-") || !strings.HasSuffix(base, ".tar.gz") {
		t.Errorf("archive name %q, want 20240506-070809-<adjective>-<noun>.tar.gz", base)
	}
	loaded, err := Load(res.Model.Path)
	if err != nil {
		t.Fatal(err)
	}
	want := res.Model.Metadata
	if want.TrainingType != TrainBoth || want.ParleyVersion != Version || want.AssistantID != "tiny" ||
		len(want.ModelID) != 32 || want.TrainedAt != float64(when.Unix()) {
		t.Errorf("metadata = %+v", want)
	}
	if diff := cmp.Diff(want, loaded.Metadata); diff != "" {
		t.Errorf("metadata after loading (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(p.Domain, loaded.Domain); diff != "" {
		t.Errorf("domain after loading (-want +got):\n%s", diff)
	}
	if loaded.NLU == nil || loaded.Policies == nil {
		t.Fatal("a model trained as both lacks a part after loading")
	}
	for _, text := range []string{"hello", "welche größe", "👍", ""} {
		if diff := cmp.Diff(res.Model.NLU.Parse(text), loaded.NLU.Parse(text)); diff != "" {
			t.Errorf("parse of %q differs after loading (-trained +loaded):\n%s", text, diff)
		}
	}
}

func TestTrainNLUOnly(t *testing.T) {
	p := newProject(t)
	res, err := Train(t.Context(), p, TrainOptions{Out: t.TempDir(), Type: TrainNLU})
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(res.Model.Path)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.NLU == nil || loaded.Policies != nil || loaded.Metadata.TrainingType != TrainNLU {
		t.Errorf("NLU-only model: nlu %v, policies %v, type %q",
			loaded.NLU != nil, loaded.Policies != nil, loaded.Metadata.TrainingType)
	}
}

func TestTrainReuse(t *testing.T) {
	p := newProject(t)
	out := filepath.Join(p.Root, "models")
	first, err := Train(t.Context(), p, TrainOptions{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		change func()
		opts   TrainOptions
		reused bool
	}{
		{"nothing changed", func() {}, TrainOptions{}, true},
		{"a test story changed", func() {
			writeFile(t, filepath.Join(p.Root, "tests/test_stories.yml"), "stories: [x]\n")
		}, TrainOptions{}, true},
		{"forced", func() {}, TrainOptions{Force: true}, false},
		{"another type", func() {}, TrainOptions{Type: TrainNLU}, false},
		{"a data file changed", func() {
			writeFile(t, filepath.Join(p.Root, "data/nlu.yml"), "nlu: [changed]\n")
		}, TrainOptions{}, false},
	}
	prev := first.Model.Path
	for _, s := range steps {
		s.change()
		s.opts.Out = out
		res, err := Train(t.Context(), p, s.opts)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if res.Reused != s.reused {
			t.Errorf("%s: reused = %v, want %v", s.name, res.Reused, s.reused)
		}
		if s.reused && res.Model.Path != prev {
			t.Errorf("%s: reused %s, want %s", s.name, res.Model.Path, prev)
		}
		prev = res.Model.Path
		// Archives of one second must still sort; give each its own mtime.
		past := time.Now().Add(-time.Duration(len(steps)) * time.Minute)
		os.Chtimes(first.Model.Path, past, past)
	}
}

func TestFingerprintCoversEveryTrainingFile(t *testing.T) {
	p := newProject(t)
	base, err := Fingerprint(p)
	if err != nil {
		t.Fatal(err)
	}
	for name := range tinyFiles {
		path := filepath.Join(p.Root, name)
		old, _ := os.ReadFile(path)
		writeFile(t, path, string(old)+"# edited\n")
		got, err := Fingerprint(p)
		if err != nil {
			t.Fatal(err)
		}
		ignored := strings.HasPrefix(name, "tests/") || name == "endpoints.yml"
		if changed := got != base; changed == ignored {
			t.Errorf("editing %s: fingerprint changed = %v, want %v", name, changed, !ignored)
		}
		writeFile(t, path, string(old))
	}
	if again, _ := Fingerprint(p); again != base {
		t.Error("restoring every file did not restore the fingerprint")
	}
}

// saveEmpty writes an archive with metadata and a domain only.
func saveEmpty(t *testing.T, dir string, meta Metadata, name string) string {
	t.Helper()
	path, err := Save(dir, &Model{Metadata: meta, Domain: &domain.Domain{}}, name, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNewestSkipsBrokenArchive(t *testing.T) {
	dir := t.TempDir()
	meta := Metadata{FormatVersion: FormatVersion, ParleyVersion: Version, TrainingType: TrainBoth}
	good := saveEmpty(t, dir, meta, "20240101-000000-good")
	old := time.Now().Add(-time.Hour)
	os.Chtimes(good, old, old)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "20240102-000000-truncated.tar.gz"), string(data[:len(data)/2]))
	writeFile(t, filepath.Join(dir, "20240103-000000-garbage.tar.gz"), "not a model")
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	got, err := Newest(dir, logger)
	if err != nil {
		t.Fatal(err)
	}
	if got != good {
		t.Errorf("Newest = %s, want %s", got, good)
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 2 {
		t.Errorf("%d warnings, want one per broken archive:\n%s", n, logs.String())
	}
	if _, err := Newest(t.TempDir(), logger); !errors.Is(err, ErrNoModel) {
		t.Errorf("empty folder: %v, want ErrNoModel", err)
	}
	if r, err := Resolve(dir, logger); err != nil || r != good {
		t.Errorf("Resolve(folder) = %s, %v", r, err)
	}
}

func TestLoadRefusesIncompatible(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]Metadata{
		"newer format": {FormatVersion: FormatVersion + 1, ParleyVersion: "9.0.0"},
		"older parley": {FormatVersion: FormatVersion, ParleyVersion: "0.0.1"},
		"no version":   {FormatVersion: FormatVersion},
	}
	for name, meta := range cases {
		path := saveEmpty(t, dir, meta, strings.ReplaceAll(name, " ", "-"))
		if _, err := Load(path); !errors.Is(err, ErrIncompatible) {
			t.Errorf("%s: %v, want ErrIncompatible", name, err)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"0.1.0", "0.1.0", 0}, {"0.1.0", "0.2.0", -1}, {"1.0.0", "0.9.9", 1},
		{"0.10.0", "0.9.0", 1}, {"0.1.0-dev", "0.1.0", 0},
	}
	for _, c := range cases {
		got, err := compareVersions(c.a, c.b)
		if err != nil || got != c.want {
			t.Errorf("compare(%s, %s) = %d, %v; want %d", c.a, c.b, got, err, c.want)
		}
	}
	if _, err := compareVersions("3.1", "0.1.0"); err == nil {
		t.Error("a two-part version was accepted")
	}
}

func TestSaveLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	saveEmpty(t, dir, Metadata{FormatVersion: 1, ParleyVersion: Version}, "fixed")
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "fixed.tar.gz" {
		t.Errorf("folder holds %v, want only fixed.tar.gz", entries)
	}
}

// TestSavedArchiveIsReadableByOthers: a web server running as another
// user must be able to serve the archive to replicas.
func TestSavedArchiveIsReadableByOthers(t *testing.T) {
	m := &Model{Domain: &domain.Domain{}, Metadata: Metadata{FormatVersion: FormatVersion,
		ParleyVersion: Version, ModelID: "abc"}}
	path, err := Save(t.TempDir(), m, "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm()&0o044 != 0o044 {
		t.Errorf("archive mode %v, want it readable by group and others", info.Mode().Perm())
	}
}
