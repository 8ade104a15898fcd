package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/parley-chat/parley/internal/project"
)

func TestMoodbotDefaultPipeline(t *testing.T) {
	m, _ := train(t, moodData(), project.Config{PipelineDefaulted: true})
	cases := map[string]string{
		"hello there":         "greet",
		"good bye":            "goodbye",
		"yes please":          "affirm",
		"I am very sad":       "mood_unhappy",
		"I feel great":        "mood_great",
		"are you a bot":       "bot_challenge",
		"no":                  "deny",
		"see you later, bye!": "goodbye",
	}
	for text, want := range cases {
		p := m.Parse(text)
		if p.Intent.Name != want {
			t.Errorf("Parse(%q) = %q (%.2f), want %q; ranking %v", text, p.Intent.Name,
				p.Intent.Confidence, want, p.IntentRanking)
		}
		if len(p.IntentRanking) == 0 || len(p.IntentRanking) > 10 {
			t.Errorf("Parse(%q): ranking of %d entries", text, len(p.IntentRanking))
		}
	}
}

func TestParseJSONShape(t *testing.T) {
	m, _ := train(t, moodData(), project.Config{PipelineDefaulted: true})
	b, err := json.Marshal(m.Parse("hello"))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"text", "intent", "entities", "intent_ranking", "text_tokens",
		"response_selector"} {
		if _, ok := got[k]; !ok {
			t.Errorf("parse JSON lacks %q: %s", k, b)
		}
	}
	rs := got["response_selector"].(map[string]any)
	def := rs["default"].(map[string]any)["response"].(map[string]any)
	if def["utter_action"] != "utter_None" || def["intent_response_key"] != nil {
		t.Errorf("default response without retrieval intents = %v", def)
	}
}

func TestEmptyText(t *testing.T) {
	m, _ := train(t, moodData(), project.Config{PipelineDefaulted: true})
	for _, text := range []string{"", "   ", "\n\t"} {
		p := m.Parse(text)
		b, _ := json.Marshal(p)
		if !strings.Contains(string(b), `"intent":{"name":null,"confidence":0}`) ||
			!strings.Contains(string(b), `"intent_ranking":[]`) ||
			!strings.Contains(string(b), `"entities":[]`) {
			t.Errorf("Parse(%q) = %s", text, b)
		}
	}
}

func TestDirectIntent(t *testing.T) {
	m, _ := train(t, moodData(), project.Config{PipelineDefaulted: true})
	p := m.Parse(`/greet{"name": "Ann", "amount": 3, "tags": ["a", "b"]}`)
	if p.Intent.Name != "greet" || p.Intent.Confidence != 1 {
		t.Fatalf("intent = %+v", p.Intent)
	}
	var got []string
	for _, e := range p.Entities {
		got = append(got, e.Entity+"="+jsonString(e.Value))
	}
	want := []string{"amount=3", "name=\"Ann\"", "tags=\"a\"", "tags=\"b\""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("entities = %v, want %v", got, want)
	}
	if p := m.Parse("/goodbye"); p.Intent.Name != "goodbye" || len(p.Entities) != 0 ||
		len(p.IntentRanking) != 1 {
		t.Errorf("/goodbye = %+v", p)
	}
	if p := m.Parse("/affirm@0.4"); p.Intent.Name != "affirm" || p.Intent.Confidence != 0.4 {
		t.Errorf("/affirm@0.4 = %+v", p.Intent)
	}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestSaveLoadIdentical(t *testing.T) {
	data := moodData()
	cfg := project.Config{PipelineDefaulted: true}
	m1, _ := train(t, data, cfg)
	m2, _ := train(t, data, cfg)
	var b1, b2 bytes.Buffer
	if _, err := m1.WriteTo(&b1); err != nil {
		t.Fatal(err)
	}
	if _, err := m2.WriteTo(&b2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		t.Fatalf("two trainings wrote different bytes (%d vs %d)", b1.Len(), b2.Len())
	}
	loaded, err := Read(bytes.NewReader(b1.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"hello", "I am sad", "bye", "are you a bot?", "", "x y z"} {
		a, _ := json.Marshal(m1.Parse(text))
		b, _ := json.Marshal(loaded.Parse(text))
		if !bytes.Equal(a, b) {
			t.Errorf("reloaded parse differs:\n%s\n%s", a, b)
		}
	}
	if _, err := Read(strings.NewReader("not a model")); err == nil {
		t.Error("Read of garbage succeeded")
	}
}

// TestReadOldFormat: a model saved by an earlier format is refused with a
// message that says to retrain.
func TestReadOldFormat(t *testing.T) {
	m, _ := train(t, moodData(), project.Config{PipelineDefaulted: true})
	m.st.Format = formatVersion - 1
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	_, err := Read(&b)
	if err == nil || !errors.Is(err, ErrModel) || !strings.Contains(err.Error(), "retrain") {
		t.Fatalf("Read of a format %d model: %v, want an ErrModel saying to retrain",
			formatVersion-1, err)
	}
}

// TestParseConcurrent: parses from several goroutines at once (the pooled
// scratch memory and the per-word cache are shared) give the same result
// as one at a time. Meant for -race.
func TestParseConcurrent(t *testing.T) {
	m, _ := train(t, moodData(), project.Config{PipelineDefaulted: true})
	texts := []string{"hello there", "I am very sad", "bye bye", "are you a bot?",
		"not good at all", "amazing day"}
	want := make([]string, len(texts))
	for i, text := range texts {
		want[i] = jsonString(m.Parse(text))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(texts))
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range texts {
				i := (k + g) % len(texts)
				if got := jsonString(m.Parse(texts[i])); got != want[i] {
					errs <- got
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent parse differs: %s", e)
	}
}
