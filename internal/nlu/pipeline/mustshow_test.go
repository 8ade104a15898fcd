package pipeline

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/project"
)

// TestCJKEntities: Chinese and Japanese are tokenized per character, so an
// annotated city written without spaces lines up with tokens and comes
// back with code point offsets.
func TestCJKEntities(t *testing.T) {
	var exs []project.Example
	for _, c := range []string{"北京", "上海", "东京", "大阪", "广州", "深圳"} {
		exs = append(exs, example("travel", "我想去["+c+"](city)"),
			example("travel", "明天飞["+c+"](city)"), example("travel", "到["+c+"](city)的票"))
	}
	exs = append(exs, examples("greet", "你好", "早上好", "こんにちは", "晚上好")...)
	m, warns := train(t, project.NLUData{Examples: exs}, project.Config{PipelineDefaulted: true})
	if len(warns) > 0 {
		t.Errorf("warnings: %v", warns)
	}
	p := m.Parse("我想去杭州")
	if len(p.Entities) != 1 || p.Entities[0].Value != "杭州" ||
		p.Entities[0].Start != 3 || p.Entities[0].End != 5 {
		t.Fatalf("entities = %+v", p.Entities)
	}
	if p.Intent.Name != "travel" || len(p.TextTokens) != 5 {
		t.Errorf("intent %v, tokens %v", p.Intent, p.TextTokens)
	}
}

// TestSynonymRules: the declared casing comes back, an inline value only
// rewrites its own entity type, and a capitalised training value is not a
// hidden synonym of its lower-case form.
func TestSynonymRules(t *testing.T) {
	data := travelData()
	data.Examples = append(data.Examples, examples("book_flight",
		`fly to [Berlin]{"entity": "city", "role": "destination"}`)...)
	m, _ := train(t, data, project.Config{PipelineDefaulted: true})
	ents := []nlu.Entity{{Entity: "city", Value: "berlin"}, {Entity: "account", Value: "SAVING"},
		{Entity: "city", Value: "nyc"}, {Entity: "account", Value: "nyc"}}
	m.mapSynonyms(ents)
	want := []string{"berlin", "Savings", "New York", "nyc"}
	for i, e := range ents {
		if e.Value != want[i] {
			t.Errorf("%s %q → %v, want %q", e.Entity, []string{"berlin", "SAVING", "nyc",
				"nyc"}[i], e.Value, want[i])
		}
	}
	if len(ents[0].Processors) != 0 || len(ents[1].Processors) != 1 {
		t.Errorf("processors: %v / %v", ents[0].Processors, ents[1].Processors)
	}
}

// TestMultiWordLookup: RegexEntityExtractor extracts a whole lookup phrase
// in any case, bounded by the text's edges, spaces or punctuation.
func TestMultiWordLookup(t *testing.T) {
	data := travelData()
	data.Lookups = append(data.Lookups, project.Pattern{Name: "city",
		Elements: []string{"new york", "san francisco", "rio de janeiro"}})
	cfg := config(comp("WhitespaceTokenizer"), comp("CountVectorsFeaturizer"),
		comp("LogisticRegressionClassifier"), comp("RegexEntityExtractor"))
	m, _ := train(t, data, cfg)
	got := entityStrings(m.Parse("from San Francisco to RIO DE JANEIRO, then new yorker"))
	want := `city="San Francisco"@RegexEntityExtractor city="RIO DE JANEIRO"@RegexEntityExtractor`
	if strings.Join(got, " ") != want {
		t.Errorf("entities = %q, want %s", got, want)
	}
}

// TestCalibratedFallback: the classifier's confidences are calibrated (a
// temperature fitted on held-out folds), and FallbackClassifier compares
// its threshold with them: in-domain messages pass, an out-of-domain one
// falls back.
func TestCalibratedFallback(t *testing.T) {
	cfg := config(comp("WhitespaceTokenizer"), comp("CountVectorsFeaturizer"),
		comp("CountVectorsFeaturizer", "analyzer", "char_wb", "min_ngram", 1, "max_ngram", 4),
		comp("DIETClassifier"), comp("FallbackClassifier", "threshold", 0.7))
	m, _ := train(t, moodData(), cfg)
	if m.st.Temperature <= 0 || m.st.Temperature == 1 {
		t.Fatalf("temperature %v: calibration did not run", m.st.Temperature)
	}
	cases := map[string]string{
		"hello there":                       "greet",
		"I am very sad":                     "mood_unhappy",
		"what is the boiling point of zinc": FallbackIntent,
	}
	for text, want := range cases {
		p := m.Parse(text)
		if p.Intent.Name != want {
			t.Errorf("%q → %v, want %s", text, p.IntentRanking, want)
		}
	}
}

func TestFitTemperature(t *testing.T) {
	// Scores drawn from a model whose true temperature is 2: the logits
	// of the true class are sharper than they should be by a factor 2.
	r := rand.New(rand.NewPCG(3, 4))
	var scores [][]float64
	var labels []int
	for range 4000 {
		logits := []float64{r.NormFloat64() * 2, r.NormFloat64() * 2, r.NormFloat64() * 2}
		p := make([]float64, 3)
		copy(p, logits)
		softmaxInPlace(p)
		y, u := 0, r.Float64()
		for y < 2 && u > p[y] {
			u -= p[y]
			y++
		}
		sharp := []float64{2 * logits[0], 2 * logits[1], 2 * logits[2]}
		scores, labels = append(scores, sharp), append(labels, y)
	}
	if got, _ := fitTemperature(scores, labels); math.Abs(got-2) > 0.15 {
		t.Errorf("temperature = %v, want about 2", got)
	}
}

func softmaxInPlace(p []float64) {
	s := 0.0
	for i, v := range p {
		p[i] = math.Exp(v)
		s += p[i]
	}
	for i := range p {
		p[i] /= s
	}
}

// FuzzParseSpans: whatever the text, every token and entity of a parse
// slices the original text at code point offsets.
func FuzzParseSpans(f *testing.F) {
	m, err := Train(context.Background(), travelData(), project.Config{PipelineDefaulted: true},
		TrainOptions{})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"fly from Berlin to Rome", "क्या आपके पास दूध है", "東京へ👍🏽",
		"c++ and .net", "\xff\xfe", "it's today's", "/greet{\"a\": 1}", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p := m.Parse(text)
		runes := []rune(text)
		for _, tk := range p.TextTokens {
			if tk[0] < 0 || tk[1] > len(runes) || tk[0] >= tk[1] {
				t.Fatalf("%q: bad token %v", text, tk)
			}
		}
		for _, e := range p.Entities {
			if e.Start < 0 || e.End > len(runes) || e.Start > e.End {
				t.Fatalf("%q: entity %+v out of the text", text, e)
			}
			if e.Text != "" && string(runes[e.Start:e.End]) != e.Text {
				t.Fatalf("%q: entity %+v does not slice the text", text, e)
			}
		}
	})
}
