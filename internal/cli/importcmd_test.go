package cli

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/store"
)

// TestImportTrackersFromRasaSQLite copies a Rasa SQLite events table into
// the project's SQLite store, then skips it on a second run.
func TestImportTrackersFromRasaSQLite(t *testing.T) {
	dir := writeProject(t, tinyProject)
	db, err := sql.Open("sqlite", filepath.Join(dir, "rasa.db"))
	if err != nil {
		t.Fatal(err)
	}
	stmts := []string{`CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255),
		type_name VARCHAR(255), timestamp FLOAT, intent_name VARCHAR(255),
		action_name VARCHAR(255), data TEXT)`,
		`INSERT INTO events (sender_id, type_name, timestamp, action_name, data) VALUES
		('ann', 'action', 1, 'action_listen',
		 '{"event": "action", "timestamp": 1, "name": "action_listen"}')`,
		`INSERT INTO events (sender_id, type_name, timestamp, intent_name, data) VALUES
		('ann', 'user', 2, 'greet', '{"event": "user", "timestamp": 2, "text": "hi",
		 "parse_data": {"intent": {"name": "greet", "confidence": 1}}}')`,
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	r := run(t, dir, "", "data", "import-trackers", "--sqlite", "rasa.db")
	if r.code != 0 || !strings.Contains(r.stdout, "Imported 1 conversations (2 events)") {
		t.Fatalf("import: %+v", r)
	}
	r = run(t, dir, "", "data", "import-trackers", "--sqlite", "rasa.db")
	if r.code != 0 || !strings.Contains(r.stdout, "skipped 1") {
		t.Errorf("second import: %+v", r)
	}
	ts, err := store.Open(context.Background(), store.KindSQLite, filepath.Join(dir, ".parley"))
	if err != nil {
		t.Fatal(err)
	}
	defer ts.Close()
	events, err := ts.Load(context.Background(), "ann")
	if err != nil || len(events) != 2 || events[1].Text != "hi" {
		t.Errorf("imported events: %+v, %v", events, err)
	}
	if r := run(t, dir, "", "data", "import-trackers"); r.code == 0 ||
		!strings.Contains(r.stderr, "--sqlite") {
		t.Errorf("import without a source: %+v", r)
	}
}

// TestRunRefusesBadStoreSection: a tracker_store that cannot be used stops
// the start; nothing falls back to memory.
func TestRunRefusesBadStoreSection(t *testing.T) {
	files := map[string]string{"endpoints.yml": "tracker_store:\n  type: mongod\n"}
	for k, v := range tinyProject {
		files[k] = v
	}
	dir := writeProject(t, files)
	r := run(t, dir, "", "run", "--port", "0", "-i", "127.0.0.1")
	if r.code != 1 || !strings.Contains(r.stderr, "endpoints.yml") ||
		strings.Contains(r.stderr, "server is up") {
		t.Errorf("run with tracker_store type mongod: %+v", r)
	}
}
