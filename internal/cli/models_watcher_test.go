package cli

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/server"
)

// TestModelsWatcher: the watcher of the models folder loads an archive
// that is copied in, leaves alone one that POST /model/train saved (Rasa
// loads those only on PUT /model), and lets a PUT /model choice stand over
// an archive that appeared just before it.
func TestModelsWatcher(t *testing.T) {
	if testing.Short() {
		t.Skip("trains models; not in -short")
	}
	dir := trainedProject(t, tinyProject)
	models := filepath.Join(dir, "models")
	discard := slog.New(slog.DiscardHandler)
	first, err := model.Newest(models, discard)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Load(first)
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Options{EnableAPI: true, ModelsDir: models})
	defer srv.Close()
	srv.SetModel(m)
	a := &app{env: Env{Dir: dir, Getenv: func(string) string { return "" }}, log: discard}
	w := a.newModelsWatcher(srv, models)
	serving := func() string { return filepath.Base(srv.Model().Path) }

	payload, err := os.ReadFile(filepath.Join("..", "server", "testdata", "bot.yml"))
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/model/train", strings.NewReader(string(payload)))
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("POST /model/train: %d %s", rec.Code, rec.Body)
	}
	w.check()
	if serving() != filepath.Base(first) {
		t.Errorf("the watcher loaded the API's archive %s; want %s kept", serving(),
			filepath.Base(first))
	}

	copied := filepath.Join(models, "deployed.tar.gz")
	copyFile(t, first, copied)
	w.check()
	if serving() != "deployed.tar.gz" {
		t.Errorf("serving %s after an archive was copied in, want deployed.tar.gz", serving())
	}

	copyFile(t, first, filepath.Join(models, "later.tar.gz"))
	body := `{"model_file": "` + first + `"}`
	rec = httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("PUT", "/model", strings.NewReader(body)))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("PUT /model: %d %s", rec.Code, rec.Body)
	}
	w.check()
	if serving() != filepath.Base(first) {
		t.Errorf("serving %s: the archive that appeared before PUT /model overrode it",
			serving())
	}

	// An archive written after a DELETE /model, before the watcher looks,
	// is loaded.
	rec = httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("DELETE", "/model", nil))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("DELETE /model: %d %s", rec.Code, rec.Body)
	}
	time.Sleep(10 * time.Millisecond) // a later modification time
	copyFile(t, first, filepath.Join(models, "after.tar.gz"))
	w.check()
	if srv.Model() == nil || serving() != "after.tar.gz" {
		t.Errorf("an archive written after DELETE /model was not loaded")
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
