package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

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
	withDuckling := strings.Replace(botPayload(t), "  - name: RegexEntityExtractor\n",
		"  - name: RegexEntityExtractor\n  - name: DucklingEntityExtractor\n"+
			"    dimensions: [number]\n    url: http://localhost:1\n", 1)
	m := trainPayload(t, t.TempDir(), withDuckling)
	var logs bytes.Buffer
	s := New(Options{DucklingURL: duck.URL, Store: store.NewMemory(),
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	defer s.Close()
	s.SetModel(m)

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
