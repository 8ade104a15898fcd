package replicas

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/store"
)

// lockedMessage is SQLite's error when a writer gave up waiting.
const lockedMessage = "database is locked"

// sqliteReplica starts `parley run` on the starter bot with its
// conversations in the SQLite data directory dataDir.
func sqliteReplica(t *testing.T, bin, project, dataDir string) *Replica {
	t.Helper()
	return StartReplica(t, bin, CopyProject(t, project), nil, "--data-dir", dataDir)
}

// checkSQLite opens the data directory's store and checks every
// conversation sent, and the replicas' logs for SQLite's lock error.
func checkSQLite(t *testing.T, dataDir string, sent map[string][]*Sent,
	replicas ...*Replica) Summary {
	t.Helper()
	st, err := store.OpenSQLite(t.Context(), dataDir)
	if err != nil {
		t.Fatalf("opening %s: %v", filepath.Join(dataDir, store.DBFile), err)
	}
	defer st.Close()
	sum := CheckConversations(t, st, sent)
	for _, r := range replicas {
		if n := r.Logs().Count(lockedMessage); n > 0 {
			t.Errorf("parley run (%s) logged %q %d times", r.Addr, lockedMessage, n)
		}
	}
	return sum
}

// TestSQLiteConcurrentWriters has 250 users talk to one server at once,
// each in a conversation of their own (4 messages), on SQLite: every message is
// answered and stored, and SQLite never reports its lock.
func TestSQLiteConcurrentWriters(t *testing.T) {
	heavy(t)
	bin := Binary(t)
	project := NewProject(t, bin, "")
	dataDir := t.TempDir()
	r := sqliteReplica(t, bin, project, dataDir)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	load := RunConversations(ctx, Plan{URL: "http://" + r.Addr + WebhookPath,
		Prefix: "w-", Conversations: 250, Messages: 4})
	sent := load.Wait()
	sum := checkSQLite(t, dataDir, sent, r)
	if sum.Stored != 250*4 {
		t.Errorf("%d user events stored, want %d", sum.Stored, 250*4)
	}
	t.Logf("250 writers: %d user events stored in %.1f s (%.0f turns/s)", sum.Stored,
		load.Elapsed().Seconds(), float64(sum.Stored)/load.Elapsed().Seconds())
}

// TestSQLiteTwoProcesses runs two servers on one SQLite data directory,
// each with conversations of its own (one conversation on two processes is
// not supported: their locks are per process), and wants every message of
// both stored.
func TestSQLiteTwoProcesses(t *testing.T) {
	heavy(t)
	bin := Binary(t)
	project := NewProject(t, bin, "")
	dataDir := t.TempDir()
	a := sqliteReplica(t, bin, project, dataDir)
	b := sqliteReplica(t, bin, project, dataDir)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	loads := map[string]*Load{}
	for name, r := range map[string]*Replica{"a-": a, "b-": b} {
		loads[name] = RunConversations(ctx, Plan{URL: "http://" + r.Addr +
			WebhookPath, Prefix: name, Conversations: 60, Messages: 6})
	}
	sent := map[string][]*Sent{}
	for _, l := range loads {
		for id, msgs := range l.Wait() {
			sent[id] = msgs
		}
	}
	sum := checkSQLite(t, dataDir, sent, a, b)
	if sum.Stored != 2*60*6 {
		t.Errorf("%d user events stored, want %d", sum.Stored, 2*60*6)
	}
	t.Logf("two processes on one SQLite file: %d user events stored; warnings: %s",
		sum.Stored, fmt.Sprint(a.Logs().Count("level=WARN"), " and ",
			b.Logs().Count("level=WARN")))
}
