package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/store"
)

// batch is how many events each write adds in one transaction; a
// consistent copy holds a multiple of it for every conversation.
const batch = 5

func events(n int) []event.Event {
	out := make([]event.Event, batch)
	for i := range out {
		out[i] = event.Event{Type: event.Action, Name: "action_listen",
			Timestamp: float64(n*batch + i)}
	}
	return out
}

// writeUntil appends batches round-robin to 8 conversations until stop is
// closed, and counts the batches written.
func writeUntil(t *testing.T, ts store.TrackerStore, stop <-chan struct{}, n *atomic.Int64) {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		if err := ts.Append(context.Background(), fmt.Sprintf("c%d", i%8), events(i)); err != nil {
			t.Errorf("append: %v", err)
			return
		}
		n.Add(1)
	}
}

// waitFor waits until n batches are written (failing after a minute, when
// the writer has surely stopped).
func waitFor(t *testing.T, written *atomic.Int64, n int64) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for written.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("the writer stopped at %d batches", written.Load())
		}
		time.Sleep(time.Millisecond)
	}
}

// perConversation counts the events of each conversation in a database.
func perConversation(t *testing.T, path string) map[string]int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		out[id] = n
	}
	return out
}

func TestBackupDuringWritesThenRestore(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	ts, err := store.OpenSQLite(ctx, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	dbPath := ts.Path()
	stop := make(chan struct{})
	var written atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() { writeUntil(t, ts, stop, &written) })

	// Take backups while the writer runs, each once more batches landed.
	out := t.TempDir()
	var infos []Info
	for i := range 3 {
		waitFor(t, &written, int64(20*(i+1)))
		info, err := Backup(ctx, dbPath, filepath.Join(out, fmt.Sprintf("b%d.db", i)), false)
		if err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		infos = append(infos, info)
	}
	close(stop)
	wg.Wait()

	for i, info := range infos {
		if info.Events == 0 || info.Events%batch != 0 || info.SchemaVersion < 1 {
			t.Errorf("backup %d: %s", i, info)
		}
		for id, n := range perConversation(t, info.Path) {
			if n%batch != 0 {
				t.Errorf("backup %d holds %d events of %s: a write was cut in half", i, n, id)
			}
		}
	}
	if infos[2].Events <= infos[0].Events {
		t.Errorf("later backups should hold more: %d then %d", infos[0].Events, infos[2].Events)
	}
	if _, err := Backup(ctx, dbPath, infos[0].Path, false); !errors.Is(err, ErrExists) {
		t.Errorf("overwriting without force: %v", err)
	}

	// A server holds the data directory: restore must refuse.
	release, err := Lock(dataDir, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, infos[0].Path, dataDir, time.Now()); !errors.Is(err, ErrInUse) {
		t.Errorf("restore while in use: %v", err)
	}
	release()
	ts.Close()

	res, err := Restore(ctx, infos[0].Path, dataDir, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if res.Kept != dbPath+".before-restore-20260102-030405" || res.Info.Events != infos[0].Events {
		t.Errorf("restored %s, kept %q", res.Info, res.Kept)
	}
	checkReopened(t, dataDir, infos[0])
	if kept := perConversation(t, res.Kept); sum(kept) != int(written.Load())*batch {
		t.Errorf("the kept database holds %d events, want every one written (%d)", sum(kept),
			written.Load()*batch)
	}
}

// checkReopened opens the restored database as the store does and counts.
func checkReopened(t *testing.T, dataDir string, want Info) {
	t.Helper()
	ts, err := store.OpenSQLite(context.Background(), dataDir)
	if err != nil {
		t.Fatalf("the store cannot open the restored database: %v", err)
	}
	defer ts.Close()
	ids, err := ts.Conversations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, id := range ids {
		evs, err := ts.Load(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		total += len(evs)
	}
	if len(ids) != want.Conversations || total != want.Events {
		t.Errorf("restored store: %d conversations, %d events; want %d, %d", len(ids), total,
			want.Conversations, want.Events)
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func TestRestoreRefusesJunk(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	ts, err := store.OpenSQLite(ctx, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Append(ctx, "ann", events(0)); err != nil {
		t.Fatal(err)
	}
	ts.Close()
	junk := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(junk, []byte("not a database, just some text\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, junk, dataDir, time.Now()); !errors.Is(err, ErrNotADatabase) {
		t.Errorf("restoring junk: %v", err)
	}
	if got := perConversation(t, filepath.Join(dataDir, store.DBFile)); got["ann"] != batch {
		t.Errorf("the current database changed: %v", got)
	}
	_, err = Backup(ctx, filepath.Join(t.TempDir(), "parley.db"), junk+".bak", false)
	if !errors.Is(err, ErrNoDatabase) {
		t.Errorf("backup of nothing: %v", err)
	}
}

// TestBackupIntoAMissingFolder: a FILE whose folder does not exist is
// refused with the folder named and the mkdir that fixes it.
func TestBackupIntoAMissingFolder(t *testing.T) {
	dataDir := t.TempDir()
	ts, err := store.OpenSQLite(context.Background(), dataDir)
	if err != nil {
		t.Fatal(err)
	}
	ts.Close()
	out := filepath.Join(t.TempDir(), "nowhere", "b.db")
	_, err = Backup(context.Background(), filepath.Join(dataDir, store.DBFile), out, false)
	if err == nil || !strings.Contains(err.Error(), "mkdir -p "+filepath.Dir(out)) {
		t.Errorf("backup into a missing folder: %v", err)
	}
}
