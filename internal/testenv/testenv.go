// Package testenv finds what tests need outside the repository (the shared
// data folder, servers, programs) and skips, or fails under CI, when it is
// missing.
package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// RequireVar is the environment variable that CI sets to turn every skip
// for a missing resource into a failure.
const RequireVar = "PARLEY_CI_REQUIRE"

// Missing skips the test with reason, or fails it when RequireVar is set.
func Missing(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv(RequireVar) != "" {
		t.Fatalf("%s (required because %s is set)", reason, RequireVar)
	}
	t.Skip(reason)
}

// RepoRoot returns the folder holding go.mod, walking up from the working
// directory of the test.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's folder")
		}
		dir = parent
	}
}

// Shared returns the path of ../shared/<rel> beside the repository, skipping
// (or failing under CI) when it is absent.
func Shared(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(RepoRoot(t), "..", "shared", rel)
	if _, err := os.Stat(p); err != nil {
		Missing(t, "the shared data folder is missing: "+p+
			" (clone the project beside its shared/ folder to run this test)")
	}
	return p
}

// WriteFiles writes files (a path relative to the folder, and its content)
// into a new temporary folder of t and returns the folder.
func WriteFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
