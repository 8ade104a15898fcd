package modelsync_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/modelsync"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/server"
)

// pulling is a server whose model comes from a model server.
type pulling struct {
	srv  *server.Server
	sync *modelsync.Sync
	dir  string
	logs *logBuffer
}

// newPulling builds a Sync for url with the given endpoints section keys
// and a server showing it on /status.
func newPulling(t *testing.T, section map[string]any) *pulling {
	t.Helper()
	cfg, err := modelsync.ParseConfig(section, project.Pos{File: "endpoints.yml", Line: 1})
	if err != nil {
		t.Fatal(err)
	}
	p := &pulling{dir: t.TempDir(), logs: &logBuffer{}}
	p.sync, err = modelsync.New(modelsync.Options{Models: cfg, Dir: p.dir,
		Logger: newLogger(p.logs)})
	if err != nil {
		t.Fatal(err)
	}
	p.srv = server.New(server.Options{EnableAPI: true,
		Ops: server.Ops{ModelSync: p.sync}})
	t.Cleanup(p.srv.Close)
	p.sync.Bind(p.srv)
	return p
}

func TestPullETagAndSwap(t *testing.T) {
	ms := newModelServer(t)
	ms.publish(archive(t, "aaaa1111"), `"v1"`)
	p := newPulling(t, map[string]any{"url": ms.URL + "/models/default",
		"token": "s3cret", "wait_time_between_pulls": nil})

	if !p.sync.FirstPull(t.Context()) {
		t.Fatalf("the first pull loaded no model; logs:\n%s", p.logs)
	}
	st := status(t, p.srv)
	if str(st.ModelID) != "aaaa1111" || str(st.Fingerprint) != "fp-aaaa1111" {
		t.Fatalf("/status model_id %s fingerprint %s, want aaaa1111", str(st.ModelID),
			str(st.Fingerprint))
	}
	if st.ModelServer == nil || st.ModelServer.ETag != `"v1"` ||
		st.ModelServer.LastResult != modelsync.ResultLoaded {
		t.Fatalf("/status model_server %+v, want etag \"v1\" and loaded", st.ModelServer)
	}
	if ms.lastIfNoneMatch() != "" {
		t.Errorf("the first pull sent If-None-Match %q", ms.lastIfNoneMatch())
	}
	if ms.queries[0] != "token=s3cret" {
		t.Errorf("query %q, want the token", ms.queries[0])
	}

	// Unchanged: the ETag is sent back and the 304 keeps the model.
	first := p.srv.Model()
	loaded, err := p.sync.PullNow(t.Context())
	if err != nil || loaded {
		t.Fatalf("second pull: loaded %v, error %v; want a 304", loaded, err)
	}
	if got := ms.lastIfNoneMatch(); got != `"v1"` {
		t.Errorf("If-None-Match %q, want \"v1\"", got)
	}
	if p.srv.Model() != first {
		t.Error("a 304 replaced the model")
	}

	// A new model: swapped in, visible on /status, the old file removed.
	ms.publish(archive(t, "bbbb2222"), `"v2"`)
	if loaded, err := p.sync.PullNow(t.Context()); err != nil || !loaded {
		t.Fatalf("pull of v2: loaded %v, error %v", loaded, err)
	}
	st = status(t, p.srv)
	if str(st.ModelID) != "bbbb2222" || st.ModelServer.ETag != `"v2"` {
		t.Fatalf("/status after the swap: model_id %s etag %s", str(st.ModelID),
			st.ModelServer.ETag)
	}
	if _, err := os.Stat(first.Path); !os.IsNotExist(err) {
		t.Errorf("the replaced archive %s is still there (%v)", first.Path, err)
	}
	files, _ := filepath.Glob(filepath.Join(p.dir, "*"))
	if len(files) != 1 {
		t.Errorf("the pull folder holds %v, want only the model in use", files)
	}
}

func TestPullRefusesBrokenArchives(t *testing.T) {
	ms := newModelServer(t)
	good := archive(t, "aaaa1111")
	ms.publish(good, `"v1"`)
	p := newPulling(t, map[string]any{"url": ms.URL})
	if !p.sync.FirstPull(t.Context()) {
		t.Fatalf("no model at start; logs:\n%s", p.logs)
	}
	broken := map[string][]byte{
		"not gzip":  []byte("<html>oops</html>"),
		"truncated": archive(t, "cccc3333")[:len(good)/2],
	}
	for name, body := range broken {
		t.Run(name, func(t *testing.T) {
			ms.publish(body, `"`+name+`"`)
			for range 2 {
				loaded, err := p.sync.PullNow(t.Context())
				if loaded || !errors.Is(err, modelsync.ErrBadArchive) {
					t.Fatalf("loaded %v, error %v; want ErrBadArchive", loaded, err)
				}
			}
			st := status(t, p.srv)
			if str(st.ModelID) != "aaaa1111" {
				t.Errorf("model_id %s after a broken archive, want aaaa1111", str(st.ModelID))
			}
			if st.ModelServer.LastResult != modelsync.ResultRefused || st.ModelServer.Error == "" {
				t.Errorf("model_server %+v, want refused with the error", st.ModelServer)
			}
		})
	}
	if n := p.logs.count("cannot be used; the current model keeps answering"); n != 2 {
		t.Errorf("%d errors logged for two broken archives pulled twice each, want 2:\n%s",
			n, p.logs)
	}
	leftovers, _ := filepath.Glob(filepath.Join(p.dir, ".pulled-*"))
	if len(leftovers) != 0 {
		t.Errorf("downloads left behind: %v", leftovers)
	}
}

func TestPullServerDown(t *testing.T) {
	ms := newModelServer(t)
	ms.publish(archive(t, "aaaa1111"), `"v1"`)
	p := newPulling(t, map[string]any{"url": ms.URL, "timeout": 2, "token": "s3cret"})
	if !p.sync.FirstPull(t.Context()) {
		t.Fatalf("no model at start; logs:\n%s", p.logs)
	}
	ms.Close()
	for range 3 {
		loaded, err := p.sync.PullNow(t.Context())
		if loaded || !errors.Is(err, modelsync.ErrPull) {
			t.Fatalf("loaded %v, error %v; want ErrPull", loaded, err)
		}
	}
	st := status(t, p.srv)
	if str(st.ModelID) != "aaaa1111" {
		t.Errorf("model_id %s while the model server is down, want aaaa1111", str(st.ModelID))
	}
	if st.ModelServer.Failures != 3 || st.ModelServer.LastResult != modelsync.ResultFailed {
		t.Errorf("model_server %+v, want 3 failures", st.ModelServer)
	}
	if n := p.logs.count("the model server cannot be used"); n != 1 {
		t.Errorf("%d warnings for one outage, want 1:\n%s", n, p.logs)
	}
	if p.logs.count("s3cret") != 0 || strings.Contains(st.ModelServer.Error, "s3cret") {
		t.Errorf("the token shows in the logs or on /status:\n%s\n%+v", p.logs, st.ModelServer)
	}
}

func TestPullOutageEnds(t *testing.T) {
	ms := newModelServer(t)
	ms.publish(archive(t, "aaaa1111"), `"v1"`)
	p := newPulling(t, map[string]any{"url": ms.URL})
	ms.fail(http.StatusServiceUnavailable)
	if p.sync.FirstPull(t.Context()) {
		t.Fatal("a 503 loaded a model")
	}
	if _, err := p.sync.PullNow(t.Context()); !errors.Is(err, modelsync.ErrPull) {
		t.Fatalf("error %v, want ErrPull", err)
	}
	ms.fail(0)
	if loaded, err := p.sync.PullNow(t.Context()); !loaded || err != nil {
		t.Fatalf("loaded %v, error %v after the outage", loaded, err)
	}
	if p.logs.count("cannot be used") != 1 || p.logs.count("answers again") != 1 {
		t.Errorf("want one warning and one recovery line:\n%s", p.logs)
	}
	if st := status(t, p.srv); str(st.ModelID) != "aaaa1111" || st.ModelServer.Failures != 0 {
		t.Errorf("/status %s %+v after the outage", str(st.ModelID), st.ModelServer)
	}
}

func TestPullWithoutETagKeepsTheSameModel(t *testing.T) {
	ms := newModelServer(t)
	ms.publish(archive(t, "aaaa1111"), "")
	p := newPulling(t, map[string]any{"url": ms.URL})
	if !p.sync.FirstPull(t.Context()) {
		t.Fatalf("no model at start; logs:\n%s", p.logs)
	}
	first := p.srv.Model()
	if loaded, err := p.sync.PullNow(t.Context()); loaded || err != nil {
		t.Fatalf("the same model again: loaded %v, error %v", loaded, err)
	}
	if p.srv.Model() != first {
		t.Error("the same model was swapped in again")
	}
	if p.logs.count("sent no ETag") != 1 {
		t.Errorf("want one warning about the missing ETag:\n%s", p.logs)
	}
}

func TestPullAfterAnotherModelWasLoaded(t *testing.T) {
	ms := newModelServer(t)
	body := archive(t, "aaaa1111")
	ms.publish(body, `"v1"`)
	p := newPulling(t, map[string]any{"url": ms.URL})
	p.sync.FirstPull(t.Context())

	// Someone loads another model (PUT /model): the next pull must not
	// claim to hold the server's model.
	p.srv.SetModel(loadArchive(t, archive(t, "dddd4444")))
	if loaded, err := p.sync.PullNow(t.Context()); !loaded || err != nil {
		t.Fatalf("loaded %v, error %v; want the server's model back", loaded, err)
	}
	if got := ms.lastIfNoneMatch(); got != "" {
		t.Errorf("If-None-Match %q sent while another model was in use", got)
	}
	if id := p.srv.Model().Metadata.ModelID; id != "aaaa1111" {
		t.Errorf("model %s, want the server's aaaa1111", id)
	}
}

func TestRunPullsEveryInterval(t *testing.T) {
	ms := newModelServer(t)
	ms.publish(archive(t, "aaaa1111"), `"v1"`)
	p := newPulling(t, map[string]any{"url": ms.URL, "wait_time_between_pulls": 0.05})
	p.sync.FirstPull(t.Context())
	ctx, cancel := context.WithCancel(t.Context())
	p.sync.Start(ctx)
	defer func() { cancel(); p.sync.Stop() }()

	ms.publish(archive(t, "bbbb2222"), `"v2"`)
	eventually(t, "the periodic pull to load v2", func() bool {
		return p.srv.Model().Metadata.ModelID == "bbbb2222"
	})
}

func TestRunOnceStopsAfterTheFirstPull(t *testing.T) {
	ms := newModelServer(t)
	ms.publish(archive(t, "aaaa1111"), `"v1"`)
	p := newPulling(t, map[string]any{"url": ms.URL, "wait_time_between_pulls": nil})
	p.sync.FirstPull(t.Context())
	p.sync.Start(t.Context())
	ms.publish(archive(t, "bbbb2222"), `"v2"`)
	time.Sleep(200 * time.Millisecond)
	p.sync.Stop()
	if n := ms.requests(); n != 1 {
		t.Errorf("%d pulls with wait_time_between_pulls: null, want 1", n)
	}
}

func TestFirstPullFallsBackToTheKeptArchive(t *testing.T) {
	ms := newModelServer(t)
	ms.publish(archive(t, "aaaa1111"), `"v1"`)
	before := newPulling(t, map[string]any{"url": ms.URL})
	if !before.sync.FirstPull(t.Context()) {
		t.Fatalf("no model at start; logs:\n%s", before.logs)
	}
	ms.Close()

	// A restart while the model server is down: the same folder, a new
	// process.
	cfg, err := modelsync.ParseConfig(map[string]any{"url": ms.URL}, project.Pos{})
	if err != nil {
		t.Fatal(err)
	}
	after, err := modelsync.New(modelsync.Options{Models: cfg, Dir: before.dir})
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Options{EnableAPI: true, Ops: server.Ops{ModelSync: after}})
	defer srv.Close()
	after.Bind(srv)
	if !after.FirstPull(t.Context()) {
		t.Fatal("no model after a restart with the model server down")
	}
	if id := str(status(t, srv).ModelID); id != "aaaa1111" {
		t.Errorf("model_id %s, want the archive pulled last time (aaaa1111)", id)
	}
}
