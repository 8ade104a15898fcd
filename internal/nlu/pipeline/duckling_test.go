package pipeline

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestDucklingBuiltin(t *testing.T) {
	cfg := config(comp("WhitespaceTokenizer"), comp("CountVectorsFeaturizer"),
		comp("DIETClassifier"), comp("DucklingEntityExtractor",
			"dimensions", []any{"number", "time"}, "timezone", "Europe/Berlin",
			"url", "http://localhost:8000"))
	m, _ := train(t, moodData(), cfg)
	sent := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	dims := map[string]any{}
	for _, text := range []string{"remind me tomorrow at 5pm", "I'd like 12 apples"} {
		p := m.ParseContext(context.Background(), text, ParseOptions{Time: sent})
		for _, e := range p.Entities {
			if e.Extractor != "DucklingEntityExtractor" {
				continue
			}
			dims[e.Entity] = e.Value
			if got := []rune(p.Text)[e.Start:e.End]; string(got) != e.Text {
				t.Errorf("entity %s spans %q, text %q", e.Entity, string(got), e.Text)
			}
		}
	}
	if dims["number"] == nil || dims["time"] == nil {
		t.Fatalf("duckling entities = %v", dims)
	}
	if v, _ := dims["time"].(string); len(v) < 19 || v[:19] != "2024-03-02T17:00:00" {
		t.Errorf("tomorrow at 5pm from %v in Berlin = %v", sent, dims["time"])
	}
	if _, err := Train(context.Background(), moodData(), config(
		comp("DucklingEntityExtractor", "dimensions", []any{"weather"})),
		TrainOptions{}); err == nil {
		t.Error("unknown dimension accepted")
	}
}

func TestDucklingRemoteSwitch(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"body":"three","start":0,"end":5,"dim":"number",` +
			`"latent":false,"value":{"value":3,"type":"value"}}]`))
	}))
	defer srv.Close()
	cfg := config(comp("DucklingEntityExtractor", "dimensions", []any{"number"},
		"url", srv.URL))
	m, _ := train(t, moodData(), cfg)
	m.Parse("three")
	if calls.Load() != 0 {
		t.Fatal("url alone called the server")
	}
	if err := m.ConfigureDuckling(srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	p := m.Parse("three")
	if calls.Load() != 1 || len(p.Entities) != 1 || p.Entities[0].Entity != "number" {
		t.Errorf("remote parse: %d calls, entities %v", calls.Load(), p.Entities)
	}
	if err := m.ConfigureDuckling("not a url", nil); err == nil {
		t.Error("a bad PARLEY_DUCKLING_URL was accepted")
	}
}
