package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeProject writes files (relative path -> content) into a new folder.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// minimalDomain is a domain that most test projects can share.
const minimalDomain = `version: "3.1"
intents: [greet, inform]
entities: [name]
responses:
  utter_greet:
    - text: hi
`

// loadFiles loads a project made of files; a domain and a config are added
// unless given. Load errors are returned in the diagnostics, not as a failure.
func loadFiles(t *testing.T, files map[string]string) *Project {
	t.Helper()
	if _, ok := files["domain.yml"]; !ok {
		files["domain.yml"] = minimalDomain
	}
	if _, ok := files["config.yml"]; !ok {
		files["config.yml"] = "language: en\n"
	}
	p, err := Load(writeProject(t, files), Options{})
	if p == nil {
		t.Fatalf("Load returned no project: %v", err)
	}
	return p
}

// findDiag returns the diagnostic whose text contains every part.
func findDiag(ds Diagnostics, parts ...string) (Diagnostic, bool) {
	for _, d := range ds {
		text := d.String()
		ok := true
		for _, part := range parts {
			ok = ok && strings.Contains(text, part)
		}
		if ok {
			return d, true
		}
	}
	return Diagnostic{}, false
}
