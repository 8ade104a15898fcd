package cli

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/modelsync"
	"github.com/parley-chat/parley/internal/store/storeconfig"
	"github.com/parley-chat/parley/internal/store/storetest"
)

// servedArchive returns the bytes of a small model archive with id.
func servedArchive(t *testing.T, id string) []byte {
	t.Helper()
	m := &model.Model{Domain: &domain.Domain{Version: "3.1"}, Metadata: model.Metadata{
		FormatVersion: model.FormatVersion, ParleyVersion: model.Version, ModelID: id,
		Fingerprint: "fp-" + id, Language: "en", TrainingType: model.TrainBoth}}
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

// TestRunPullsFromTheModelServer: with models: in endpoints.yml, `parley
// run` serves the model server's archive from the start, without a local
// model, and swaps in a new one at the next pull.
func TestRunPullsFromTheModelServer(t *testing.T) {
	var mu sync.Mutex
	body, etag := servedArchive(t, "aaaa1111"), `"v1"`
	ms := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Write(body)
	}))
	defer ms.Close()
	files := maps.Clone(tinyProject)
	files["endpoints.yml"] = "models:\n  url: " + ms.URL + "/models/default\n" +
		"  wait_time_between_pulls: 0.2\n"
	dir := writeProject(t, files)
	if err := os.MkdirAll(filepath.Join(dir, "models"), 0o755); err != nil {
		t.Fatal(err)
	}
	env := productionEnv()
	rs := startRun(t, dir, env, "--enable-api")
	statusURL := rs.url + "/status?token=" + env["PARLEY_AUTH_TOKEN"]

	modelID := func() string {
		code, out := call(t, "GET", statusURL, "")
		var st struct {
			ModelID     string `json:"model_id"`
			ModelServer *struct {
				URL string `json:"url"`
			} `json:"model_server"`
		}
		if code != 200 || json.Unmarshal([]byte(out), &st) != nil || st.ModelServer == nil ||
			st.ModelServer.URL != ms.URL+"/models/default" {
			t.Fatalf("GET /status: %d %s", code, out)
		}
		return st.ModelID
	}
	if id := modelID(); id != "aaaa1111" {
		t.Fatalf("model_id %q at start, want the model server's aaaa1111\n%s", id, rs.stderr)
	}
	mu.Lock()
	body, etag = servedArchive(t, "bbbb2222"), `"v2"`
	mu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	for modelID() != "bbbb2222" {
		if time.Now().After(deadline) {
			t.Fatalf("the new model was not pulled:\n%s", rs.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestRunRefusesABadModelsSection(t *testing.T) {
	files := maps.Clone(tinyProject)
	files["endpoints.yml"] = "models:\n  wait_time_between_pulls: 5\n"
	dir := writeProject(t, files)
	r := run(t, dir, "", "run", "--port", "0", "-i", "127.0.0.1")
	if r.code == 0 || !strings.Contains(r.stderr,
		"endpoints.yml:1:1: invalid models: section: url is missing") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// TestRunReplicasCompareModelsOnPostgres: two `parley run` sharing a
// PostgreSQL tracker store, each with a different local model; the one
// started second lists both on /status and warns.
func TestRunReplicasCompareModelsOnPostgres(t *testing.T) {
	url, schema := storetest.PostgresSchema(t)
	files := maps.Clone(tinyProject)
	files["endpoints.yml"] = "tracker_store:\n  type: SQL\n  dialect: postgresql\n" +
		"  url: " + url + "\n"
	env := productionEnv()
	env["POSTGRESQL_SCHEMA"] = schema
	var runs []*runningServer
	for _, id := range []string{"aaaa1111", "bbbb2222"} {
		dir := writeProject(t, files)
		models := filepath.Join(dir, "models")
		if err := os.MkdirAll(models, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(models, id+".tar.gz"), servedArchive(t, id),
			0o644); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, startRun(t, dir, env, "--enable-api"))
	}
	second := runs[1]
	code, out := call(t, "GET", second.url+"/status?token="+env["PARLEY_AUTH_TOKEN"], "")
	var st struct {
		Replicas []struct {
			ModelID string `json:"model_id"`
			Self    bool   `json:"self"`
		} `json:"replicas"`
	}
	if code != 200 || json.Unmarshal([]byte(out), &st) != nil {
		t.Fatalf("GET /status: %d %s", code, out)
	}
	if len(st.Replicas) != 2 || !st.Replicas[0].Self || st.Replicas[0].ModelID != "bbbb2222" ||
		st.Replicas[1].ModelID != "aaaa1111" {
		t.Fatalf("/status replicas %+v, want this one (bbbb2222) and the other (aaaa1111)",
			st.Replicas)
	}
	if !strings.Contains(second.stderr.String(), "serve different models") {
		t.Errorf("no warning about the different models:\n%s", second.stderr)
	}
}

// TestLockKindNamesAgree: the replicas record their lock store under the
// name storeconfig gives it, so modelsync's in-process name must be that.
func TestLockKindNamesAgree(t *testing.T) {
	if modelsync.InProcessLock != storeconfig.LockInProcess {
		t.Errorf("modelsync.InProcessLock %q, storeconfig.LockInProcess %q",
			modelsync.InProcessLock, storeconfig.LockInProcess)
	}
}
