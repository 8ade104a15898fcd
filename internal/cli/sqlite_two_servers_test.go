package cli

import (
	"strings"
	"testing"
)

// TestSecondServerOnOneSQLiteWarns: a second `parley run` on the same
// data directory (so the same SQLite file) starts, and logs that SQLite is
// for one process and PostgreSQL is for replicas; the first logs nothing
// of the kind.
func TestSecondServerOnOneSQLiteWarns(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model; not in -short")
	}
	dir := trainedProject(t, tinyProject)
	first := startRun(t, dir, map[string]string{})
	second := startRun(t, dir, map[string]string{})
	if strings.Contains(first.stderr.String(), "SQLite is for one process") {
		t.Errorf("the first server warned:\n%s", first.stderr)
	}
	log := second.stderr.String()
	if !strings.Contains(log, "SQLite is for one process") || !strings.Contains(log, "PostgreSQL") {
		t.Errorf("the second server did not warn about sharing SQLite:\n%s", log)
	}
	msg := `{"sender": "two", "message": "hello"}`
	if code, body := call(t, "POST", second.url+"/webhooks/rest/webhook", msg); code != 200 ||
		!strings.Contains(body, "Hello!") {
		t.Errorf("the second server does not answer: %d %s", code, body)
	}
}
