package server

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/store"
)

// TestDucklingURLReachesServedModels: with Options.DucklingURL
// (PARLEY_DUCKLING_URL), every model the server serves sends its messages
// to that Duckling server, and when the server is down the built-in
// extractors answer and the log says so.
func TestDucklingURLReachesServedModels(t *testing.T) {
	var calls atomic.Int32
	duck := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`[{"body":"three","start":8,"end":13,"dim":"number",` +
			`"latent":false,"value":{"value":3,"type":"value"}}]`))
	}))
	defer duck.Close()
	body, err := os.ReadFile("testdata/bot.yml")
	if err != nil {
		t.Fatal(err)
	}
	withDuckling := strings.Replace(string(body), "  - name: RegexEntityExtractor\n",
		"  - name: RegexEntityExtractor\n  - name: DucklingEntityExtractor\n"+
			"    dimensions: [number]\n    url: http://localhost:1\n", 1)
	dir := t.TempDir()
	p, err := loadPayload([]byte(withDuckling), filepath.Join(dir, "project"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := model.Train(context.Background(), p,
		model.TrainOptions{Out: filepath.Join(dir, "models"), FixedName: "duck"})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	s := New(Options{DucklingURL: duck.URL, Store: store.NewMemory(),
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	defer s.Close()
	s.SetModel(res.Model)

	rec := call(s.Handler(), "POST", "/webhooks/rest/webhook",
		`{"sender": "d1", "message": "I want three"}`)
	if rec.Code != http.StatusOK || calls.Load() == 0 {
		t.Fatalf("REST turn: %d %s; the Duckling server got %d calls", rec.Code, rec.Body,
			calls.Load())
	}
	duck.Close() // the server goes away
	rec = call(s.Handler(), "POST", "/webhooks/rest/webhook",
		`{"sender": "d1", "message": "I want 4"}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("REST turn with Duckling down: %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "Duckling server unavailable") {
		t.Errorf("no warning that the Duckling server is down:\n%s", logs.String())
	}
}
