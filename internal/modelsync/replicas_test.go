package modelsync_test

import (
	"context"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/modelsync"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/server"
	"github.com/parley-chat/parley/internal/store/postgres"
	"github.com/parley-chat/parley/internal/store/storetest"
)

// replica is one Parley server of TestReplicasOnPostgres, with its own
// connection pool to the shared schema.
type replica struct {
	srv  *server.Server
	sync *modelsync.Sync
	logs *logBuffer
	stop context.CancelFunc
}

// startReplica opens the store on schema, builds the server and its Sync
// (pulling from modelURL when given) and starts the heartbeats.
func startReplica(t *testing.T, url, schema, modelURL string) *replica {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	st, err := postgres.Open(ctx, postgres.Config{URL: url, Schema: schema, MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := modelsync.NewSQLRegistry(ctx, st.WebDB(), modelsync.DialectPostgres)
	if err != nil {
		t.Fatal(err)
	}
	r := &replica{logs: &logBuffer{}, stop: cancel}
	opts := modelsync.Options{Registry: reg, Heartbeat: 50 * time.Millisecond,
		Dir: t.TempDir(), Logger: newLogger(r.logs), LockStore: modelsync.InProcessLock}
	if modelURL != "" {
		opts.Models, err = modelsync.ParseConfig(map[string]any{"url": modelURL,
			"wait_time_between_pulls": 0.05}, project.Pos{})
		if err != nil {
			t.Fatal(err)
		}
	}
	if r.sync, err = modelsync.New(opts); err != nil {
		t.Fatal(err)
	}
	r.srv = server.New(server.Options{EnableAPI: true, Store: st,
		Ops: server.Ops{ModelSync: r.sync}})
	r.sync.Bind(r.srv)
	r.sync.FirstPull(ctx)
	t.Cleanup(func() {
		r.close()
		st.Close()
	})
	return r
}

// close stops the heartbeats (leaving the registry) and the server.
func (r *replica) close() {
	r.stop()
	r.sync.Stop()
	r.srv.Close()
}

// modelsSeen returns the model of each replica on r's /status, by id.
func (r *replica) modelsSeen(t *testing.T) map[string]string {
	out := map[string]string{}
	for _, rep := range status(t, r.srv).Replicas {
		out[rep.ID] = rep.ModelID
	}
	return out
}

func TestReplicasOnPostgres(t *testing.T) {
	url, schema := storetest.PostgresSchema(t)
	ms := newModelServer(t)
	m1 := archive(t, "aaaa1111")
	ms.publish(archive(t, "bbbb2222"), `"v2"`)

	a := startReplica(t, url, schema, "")
	a.srv.SetModel(loadArchive(t, m1))
	b := startReplica(t, url, schema, ms.URL)
	a.sync.Start(t.Context())
	b.sync.Start(t.Context())
	if id := b.srv.Model().Metadata.ModelID; id != "bbbb2222" {
		t.Fatalf("b serves %s, want the model server's bbbb2222", id)
	}

	// Different models: both see both, and both warn.
	eventually(t, "a to see b", func() bool { return len(a.modelsSeen(t)) == 2 })
	seen := a.modelsSeen(t)
	st := status(t, a.srv)
	if !st.Replicas[0].Self || st.Replicas[0].ModelID != "aaaa1111" {
		t.Errorf("a's /status lists %+v first, want itself with aaaa1111", st.Replicas[0])
	}
	if len(seen) != 2 || !hasModel(seen, "bbbb2222") {
		t.Errorf("a's /status replicas %v, want a with aaaa1111 and b with bbbb2222", seen)
	}
	eventually(t, "both replicas to warn", func() bool {
		return a.logs.count("serve different models") == 1 &&
			b.logs.count("serve different models") == 1
	})
	// Both lock conversations in their own process: each says so, once.
	eventually(t, "both replicas to warn about their locks", func() bool {
		return a.logs.count("lock conversations in their own process") == 1 &&
			b.logs.count("lock conversations in their own process") == 1
	})

	// The model server now serves a's model: b pulls it and they agree.
	ms.publish(m1, `"v1"`)
	eventually(t, "the replicas to agree", func() bool {
		return a.logs.count("serve the same model again") == 1
	})
	for id, m := range b.modelsSeen(t) {
		if m != "aaaa1111" {
			t.Errorf("b's /status: replica %s serves %s, want aaaa1111", id, m)
		}
	}
	if n := a.logs.count("serve different models"); n != 1 {
		t.Errorf("a warned %d times, want once:\n%s", n, a.logs)
	}

	// b stops: it leaves the registry, and a lists itself only.
	b.close()
	eventually(t, "b to be gone from a's /status", func() bool {
		return len(a.modelsSeen(t)) == 1
	})
}

// hasModel reports whether some replica serves id.
func hasModel(seen map[string]string, id string) bool {
	for _, m := range seen {
		if m == id {
			return true
		}
	}
	return false
}
