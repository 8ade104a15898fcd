package starter

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/parley-chat/parley/internal/project"
)

func TestStarterLoadsWithoutDiagnostics(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, false); err != nil {
		t.Fatal(err)
	}
	p, err := project.Load(dir, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range p.Diagnostics {
		t.Errorf("load: %s", d)
	}
	for _, d := range project.Validate(p) {
		t.Errorf("validate: %s", d)
	}
	checkContent(t, p)
}

func checkContent(t *testing.T, p *project.Project) {
	t.Helper()
	perIntent := map[string]int{}
	for _, ex := range p.NLU.Examples {
		perIntent[ex.Intent]++
	}
	if len(perIntent) < 6 {
		t.Errorf("want at least 6 intents with examples, got %d", len(perIntent))
	}
	for intent, n := range perIntent {
		if n < 10 {
			t.Errorf("intent %s has %d examples, want at least 10", intent, n)
		}
	}
	if len(p.TestStories) == 0 || len(p.Stories) == 0 || len(p.Rules) == 0 {
		t.Errorf("stories %d, rules %d, test stories %d: want some of each",
			len(p.Stories), len(p.Rules), len(p.TestStories))
	}
	if _, ok := p.Domain.Slot("name"); !ok {
		t.Error("slot name is missing")
	}
	if _, ok := p.Credentials["rest"]; !ok || len(p.Credentials) != 1 {
		t.Errorf("only the rest channel should be enabled, got %v", p.Credentials)
	}
	if p.Config.PipelineDefaulted || p.Config.PoliciesDefaulted {
		t.Error("the starter config should spell out its pipeline and policies")
	}
}

func TestWriteRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	domainPath := filepath.Join(dir, "domain.yml")
	if err := os.WriteFile(domainPath, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(dir, false)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("want ErrExists, got %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "config.yml")); err == nil {
		t.Error("Write wrote files although it refused")
	}
	if err := Write(dir, true); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(domainPath)
	if err != nil || string(data) == "mine" {
		t.Errorf("force did not overwrite domain.yml: %q %v", data, err)
	}
}

func TestFSListsTheProject(t *testing.T) {
	want := []string{"config.yml", "credentials.yml", "data/nlu.yml", "data/rules.yml",
		"data/stories.yml", "domain.yml", "endpoints.yml", "tests/test_stories.yml"}
	got := Files()
	if len(got) != len(want) {
		t.Fatalf("files %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("file %d is %s, want %s", i, got[i], want[i])
		}
	}
}
