package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
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

// TestDucklingLocaleFromLanguage: without a locale, Duckling reads numbers
// in the project's language, as Rasa's extractor does: "2,5" is 2.5 in a
// German project and two numbers in an English one.
func TestDucklingLocaleFromLanguage(t *testing.T) {
	for lang, want := range map[string][]any{"de": {2.5}, "en": {2.0, 5.0}} {
		cfg := config(comp("WhitespaceTokenizer"), comp("CountVectorsFeaturizer"),
			comp("LogisticRegressionClassifier"),
			comp("DucklingEntityExtractor", "dimensions", []any{"number"}))
		cfg.Language = lang
		m, _ := train(t, moodData(), cfg)
		var got []any
		for _, e := range m.Parse("2,5").Entities {
			got = append(got, e.Value)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("language %s: numbers of \"2,5\" = %v, want %v", lang, got, want)
		}
	}
}

// TestDucklingOptionErrorsNameTheirOption: a bad option is reported under
// its own name with the component's place in config.yml.
func TestDucklingOptionErrorsNameTheirOption(t *testing.T) {
	for key, value := range map[string]any{"timezone": "Mars/Olympus", "locale": "german!",
		"timeout": "soon", "use_remote": "yes"} {
		_, err := Train(context.Background(), moodData(),
			config(comp("DucklingEntityExtractor", key, value)), TrainOptions{})
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("option %q", key)) ||
			!strings.Contains(err.Error(), "config.yml:3:5") {
			t.Errorf("%s: %v: the error must name the option and its place", key, err)
		}
	}
}
