package project

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

const richNLU = `version: "3.1"
nlu:
- intent: check_balance
  metadata: {sentiment: neutral}
  examples: |
    - what is my balance <!-- a comment -->
    - how much is on my [savings](account) account

    - in [my card]{"entity": "account", "value": "credit"}
- intent: greet
  examples:
  - text: hi
    metadata: {lang: en}
  - hello there
- intent: faq/ask_hours
  examples: |
    - when are you open?
- synonym: credit
  examples: |
    - credit card account
- regex: account_number
  examples: |
    - \d{10,12}
- lookup: banks
  examples: |
    - JPMC
    - Comerica
responses:
  utter_faq/ask_hours:
  - text: We are open 9 to 5.
`

func TestNLUYAML(t *testing.T) {
	var diags Diagnostics
	s := newSource("data/nlu.yml", []byte(richNLU), &diags)
	td := readDataBytes(s, []byte(richNLU))
	if len(diags) != 0 {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	want := []Example{
		{Text: "what is my balance", Intent: "check_balance",
			Metadata: map[string]any{"intent": map[string]any{"sentiment": "neutral"}},
			Pos:      Pos{File: "data/nlu.yml", Line: 6, Column: 7}},
		{Text: "how much is on my savings account", Intent: "check_balance",
			Entities: []EntityAnnotation{{Start: 18, End: 25, Entity: "account", Value: "savings"}},
			Metadata: map[string]any{"intent": map[string]any{"sentiment": "neutral"}},
			Pos:      Pos{File: "data/nlu.yml", Line: 7, Column: 7}},
		{Text: "in my card", Intent: "check_balance",
			Entities: []EntityAnnotation{{Start: 3, End: 10, Entity: "account", Value: "credit"}},
			Metadata: map[string]any{"intent": map[string]any{"sentiment": "neutral"}},
			Pos:      Pos{File: "data/nlu.yml", Line: 9, Column: 7}},
		{Text: "hi", Intent: "greet", Metadata: map[string]any{
			"example": map[string]any{"lang": "en"}},
			Pos: Pos{File: "data/nlu.yml", Line: 12, Column: 11}},
		{Text: "hello there", Intent: "greet", Pos: Pos{File: "data/nlu.yml", Line: 14, Column: 5}},
		{Text: "when are you open?", Intent: "faq/ask_hours",
			Pos: Pos{File: "data/nlu.yml", Line: 17, Column: 7}},
	}
	if diff := cmp.Diff(want, td.NLU.Examples); diff != "" {
		t.Errorf("examples (-want +got):\n%s", diff)
	}
	if got := td.NLU.Synonyms; len(got) != 1 || got[0].Value != "credit" ||
		got[0].Examples[0] != "credit card account" {
		t.Errorf("synonyms: %+v", got)
	}
	if got := td.NLU.Regexes; len(got) != 1 || got[0].Elements[0] != `\d{10,12}` {
		t.Errorf("regexes: %+v", got)
	}
	if got := td.NLU.Lookups; len(got) != 1 || len(got[0].Elements) != 2 {
		t.Errorf("lookups: %+v", got)
	}
	if got := td.NLU.Responses["utter_faq/ask_hours"]; len(got) != 1 {
		t.Errorf("responses: %+v", td.NLU.Responses)
	}
}

func TestNLUJSON(t *testing.T) {
	const data = `{"rasa_nlu_data": {
  "common_examples": [
    {"text": "ich heiße Jürgen", "intent": "tell_name",
     "entities": [{"start": 10, "end": 16, "value": "Jürgen", "entity": "name"}]}
  ],
  "regex_features": [{"name": "zip", "pattern": "[0-9]{5}"}],
  "lookup_tables": [{"name": "city", "elements": ["Köln", "Berlin"]}],
  "entity_synonyms": [{"value": "Köln", "synonyms": ["Cologne"]}]
}}`
	var diags Diagnostics
	td := readDataBytes(newSource("data/nlu.json", []byte(data), &diags), []byte(data))
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	ex := td.NLU.Examples[0]
	e := ex.Entities[0]
	// "ich heiße " is 10 code points but 11 bytes.
	if e.Start != 11 || e.End != 18 || ex.Text[e.Start:e.End] != "Jürgen" {
		t.Errorf("entity %+v does not slice Jürgen out of %q", e, ex.Text)
	}
	if ex.Pos.Line != 3 {
		t.Errorf("example position %v, want line 3", ex.Pos)
	}
	if td.NLU.Regexes[0].Elements[0] != "[0-9]{5}" || td.NLU.Lookups[0].Elements[1] != "Berlin" ||
		td.NLU.Synonyms[0].Examples[0] != "Cologne" {
		t.Errorf("patterns or synonyms wrong: %+v", td.NLU)
	}
}

func TestConflictingExamples(t *testing.T) {
	p := loadFiles(t, map[string]string{"data/nlu.yml": `nlu:
- intent: greet
  examples: |
    - Hello there
- intent: inform
  examples: |
    - hello there
`})
	d, ok := findDiag(p.Diagnostics, `"greet"`, `"inform"`, "upper/lower case")
	if !ok {
		t.Fatalf("no warning about the example under two intents: %v", p.Diagnostics)
	}
	if d.Pos.String() != "data/nlu.yml:7:7" || d.Severity != Warning {
		t.Errorf("got %s", d)
	}
	if _, ok := findDiag(Diagnostics{d}, "data/nlu.yml:4:7"); !ok {
		t.Errorf("the warning must name the other example's line: %s", d)
	}
}

// FuzzNLUReader feeds arbitrary bytes to the training-data reader: it must
// never panic, and every entity must slice its example's text.
func FuzzNLUReader(f *testing.F) {
	f.Add([]byte(richNLU))
	f.Add([]byte("nlu:\n- intent: a\n  examples: |\n    - [x](e)\n    # - y\n"))
	f.Add([]byte("stories:\n- story: s\n  steps:\n  - user: \"[A](n) b\"\n    intent: a\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("nlu:\n- intent: a\n  examples: [{text: '[b]{\"entity\": \"c\"}'}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var diags Diagnostics
		td := readDataBytes(newSource("data/nlu.yml", data, &diags), data)
		for _, ex := range td.NLU.Examples {
			for _, e := range ex.Entities {
				if e.Start < 0 || e.Start > e.End || e.End > len(ex.Text) {
					t.Fatalf("entity %+v outside %q", e, ex.Text)
				}
			}
		}
		for _, d := range diags {
			if d.Pos.File != "data/nlu.yml" {
				t.Fatalf("diagnostic without the file name: %v", d)
			}
		}
	})
}
