package cli

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/store"
)

func TestDBBackupAndRestore(t *testing.T) {
	dir := writeProject(t, tinyProject)
	dataDir := filepath.Join(dir, "state")
	ctx := context.Background()
	ts, err := store.OpenSQLite(ctx, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	hello := []event.Event{{Type: event.User, Text: "hello", Timestamp: 1}}
	if err := ts.Append(ctx, "ann", hello); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PARLEY_DATA_DIR": "state"}
	r := runEnv(t, dir, env, "db", "backup", "ann.db")
	if r.code != 0 || !strings.Contains(r.stdout, "1 conversations, 1 events") {
		t.Fatalf("db backup: %+v", r)
	}
	if r := runEnv(t, dir, env, "db", "backup", "ann.db"); r.code != 1 ||
		!strings.Contains(r.stderr, "--force") {
		t.Errorf("backup over an existing file: %+v", r)
	}
	if err := ts.Append(ctx, "bob", hello); err != nil {
		t.Fatal(err)
	}
	ts.Close()

	r = runEnv(t, dir, nil, "db", "restore", "ann.db", "--data-dir", "state")
	if r.code != 0 || !strings.Contains(r.stdout, "The previous database is kept as") {
		t.Fatalf("db restore: %+v", r)
	}
	ts, err = store.OpenSQLite(ctx, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer ts.Close()
	ids, err := ts.Conversations(ctx)
	if err != nil || len(ids) != 1 || ids[0] != "ann" {
		t.Errorf("after restore: %v %v (bob came after the backup)", ids, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ann.db")); err != nil {
		t.Error(err)
	}
}

// TestDBBackupFollowsTheTrackerStore: with an SQLite tracker_store in
// endpoints.yml, backup copies that database, as run uses it, not the
// default data directory's; another kind of store is refused with a word
// on its own tools.
func TestDBBackupFollowsTheTrackerStore(t *testing.T) {
	files := maps.Clone(tinyProject)
	files["endpoints.yml"] = "tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: conversations\n"
	dir := writeProject(t, files)
	ctx := context.Background()
	for where, ids := range map[string][]string{"conversations": {"ann", "bob"},
		".parley": {"old"}} {
		ts, err := store.OpenSQLite(ctx, filepath.Join(dir, where))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if err := ts.Append(ctx, id, []event.Event{{Type: event.User, Text: "hi",
				Timestamp: 1}}); err != nil {
				t.Fatal(err)
			}
		}
		ts.Close()
	}
	r := run(t, dir, "", "db", "backup", "copy.db")
	if r.code != 0 || !strings.Contains(r.stdout, filepath.Join("conversations", store.DBFile)) ||
		!strings.Contains(r.stdout, "2 conversations") {
		t.Errorf("backup with an SQLite tracker_store: %+v", r)
	}
	files["endpoints.yml"] = "tracker_store:\n  type: SQL\n  dialect: postgresql\n" +
		"  url: localhost\n"
	r = run(t, writeProject(t, files), "", "db", "backup", "copy.db")
	if r.code != 1 || !strings.Contains(r.stderr, "pg_dump") {
		t.Errorf("backup with a PostgreSQL tracker_store: %+v", r)
	}
}
