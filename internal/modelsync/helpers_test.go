package modelsync_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/modelsync"
	"github.com/parley-chat/parley/internal/server"
)

// archive writes a small model (a domain, no NLU or policies) with the
// given id and returns its bytes.
func archive(t testing.TB, id string) []byte {
	t.Helper()
	m := &model.Model{Domain: &domain.Domain{Version: "3.1"}, Metadata: model.Metadata{
		FormatVersion: model.FormatVersion, ParleyVersion: model.Version, ModelID: id,
		Fingerprint: "fp-" + id, Language: "en", TrainingType: model.TrainBoth,
		TrainedAt: float64(time.Now().Unix())}}
	path, err := model.Save(t.TempDir(), m, id, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// loadArchive reads archive bytes as a model.
func loadArchive(t *testing.T, data []byte) *model.Model {
	t.Helper()
	path := t.TempDir() + "/m.tar.gz"
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// modelServer is a model server: it serves one archive with an ETag,
// answers 304 when If-None-Match matches, and records what it was asked.
type modelServer struct {
	*httptest.Server
	mu          sync.Mutex
	body        []byte
	etag        string
	status      int // when set, answered instead of the archive
	ifNoneMatch []string
	queries     []string
}

func newModelServer(t testing.TB) *modelServer {
	ms := &modelServer{}
	ms.Server = httptest.NewServer(http.HandlerFunc(ms.serve))
	t.Cleanup(ms.Close)
	return ms
}

func (ms *modelServer) serve(w http.ResponseWriter, r *http.Request) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	ms.ifNoneMatch = append(ms.ifNoneMatch, r.Header.Get("If-None-Match"))
	ms.queries = append(ms.queries, r.URL.RawQuery)
	switch {
	case ms.status != 0:
		w.WriteHeader(ms.status)
	case ms.body == nil:
		w.WriteHeader(http.StatusNotFound)
	case ms.etag != "" && r.Header.Get("If-None-Match") == ms.etag:
		w.WriteHeader(http.StatusNotModified)
	default:
		if ms.etag != "" {
			w.Header().Set("ETag", ms.etag)
		}
		w.Header().Set("Content-Type", "application/gzip")
		w.Write(ms.body)
	}
}

// publish makes the server answer with body and etag from now on.
func (ms *modelServer) publish(body []byte, etag string) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	ms.body, ms.etag, ms.status = body, etag, 0
}

// fail makes the server answer with status from now on (0 serves again).
func (ms *modelServer) fail(status int) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	ms.status = status
}

// lastIfNoneMatch is the If-None-Match of the latest request.
func (ms *modelServer) lastIfNoneMatch() string {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.ifNoneMatch[len(ms.ifNoneMatch)-1]
}

// requests is the number of requests so far.
func (ms *modelServer) requests() int {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return len(ms.ifNoneMatch)
}

// logBuffer collects log lines from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// count returns how many lines hold s.
func (l *logBuffer) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.buf.String(), s)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func newLogger(buf *logBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// statusAnswer is the part of GET /status these tests read.
type statusAnswer struct {
	ModelID     *string                `json:"model_id"`
	ModelFile   *string                `json:"model_file"`
	Fingerprint *string                `json:"fingerprint"`
	ModelServer *modelsync.PullStatus  `json:"model_server"`
	Replicas    []modelsync.Replica    `json:"replicas"`
	Extra       map[string]interface{} `json:"-"`
}

// status asks srv for GET /status.
func status(t *testing.T, srv *server.Server) statusAnswer {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/status", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /status: %d %s", rec.Code, rec.Body)
	}
	var out statusAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("GET /status: %v: %s", err, rec.Body)
	}
	return out
}

// str dereferences a nullable JSON string.
func str(s *string) string {
	if s == nil {
		return "<null>"
	}
	return *s
}

// eventually waits up to five seconds for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
