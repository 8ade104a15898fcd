package storytest

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/project"
)

// fixedNLU answers every message with one intent and the entities listed
// for its text.
type fixedNLU struct {
	intent   string
	entities map[string][]nlu.Entity
}

func (f fixedNLU) Parse(text string) nlu.Parse {
	return nlu.Parse{Text: text, Intent: nlu.Intent{Name: f.intent, Confidence: 1},
		Entities: f.entities[text]}
}

// annotated is a user step whose text holds one annotation.
func annotated(text, span, entity, value string) project.Step {
	i := strings.Index(text, span)
	return project.Step{Kind: project.StepIntent, Intent: "greet", UserText: text,
		UserEntities: []project.EntityAnnotation{{Start: i, End: i + len(span), Entity: entity,
			Value: value}}}
}

func duck(start, end int, dim string, value any) nlu.Entity {
	return nlu.Entity{Start: start, End: end, Entity: dim, Value: value,
		Extractor: "DucklingEntityExtractor"}
}

func TestEntitiesAreCompared(t *testing.T) {
	d, e := trained(t, []project.Story{rule(intentStep("greet", ""), actionStep("utter_greet"))})
	const when = "2019-01-01T00:00:00.000-08:00"
	// "é" is two bytes: the story's offsets are bytes, the NLU's code points.
	text := "café in January 2019"
	cases := []struct {
		name   string
		found  []nlu.Entity
		failed bool
	}{
		{"same span, type and value", []nlu.Entity{duck(5, 20, "time", when)}, false},
		{"another value", []nlu.Entity{duck(5, 20, "time", "2019-01-01T00:00:00.000+00:00")},
			true},
		{"another span", []nlu.Entity{duck(8, 20, "time", when)}, true},
		{"none found", nil, true},
		{"one more found", []nlu.Entity{duck(0, 4, "number", 4.0), duck(5, 20, "time", when)},
			true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			parser := fixedNLU{intent: "greet", entities: map[string][]nlu.Entity{text: c.found}}
			st := project.Story{Name: c.name, Steps: []project.Step{
				annotated(text, "in January 2019", "time", when), actionStep("utter_greet")}}
			r, err := Run(context.Background(), Input{Domain: d, Policies: e, Parser: parser,
				Stories: []project.Story{st}})
			if err != nil {
				t.Fatal(err)
			}
			res := r.Stories[0]
			if res.Failed != c.failed || res.WrongIntents != 0 {
				t.Fatalf("failed %v, wrong intents %d; want failed %v:\n%s", res.Failed,
					res.WrongIntents, c.failed, r.FailedStoriesYAML())
			}
			if c.failed && res.WrongEntities != 1 {
				t.Errorf("wrong entities %d, want 1", res.WrongEntities)
			}
		})
	}
}

func TestWrongEntitiesAreWrittenAsPredicted(t *testing.T) {
	d, e := trained(t, []project.Story{rule(intentStep("greet", ""), actionStep("utter_greet"))})
	text := "for 4 people"
	parser := fixedNLU{intent: "greet", entities: map[string][]nlu.Entity{
		text: {duck(4, 5, "number", 4.0)}}}
	st := project.Story{Name: "n", Steps: []project.Step{
		annotated(text, "4", "number", "5"), actionStep("utter_greet")}}
	r, err := Run(context.Background(), Input{Domain: d, Policies: e, Parser: parser,
		Stories: []project.Story{st}})
	if err != nil {
		t.Fatal(err)
	}
	want := `  - intent: greet  # predicted: greet: for [4](number) people
    user: |-
      for [4]{"entity": "number", "value": "5"} people
`
	if got := string(r.FailedStoriesYAML()); !strings.Contains(got, want) {
		t.Fatalf("failed stories:\n%s\nwant a step:\n%s", got, want)
	}
}

func TestValueString(t *testing.T) {
	cases := []struct {
		v    any
		want string
	}{
		{"credit", "credit"}, {4.0, "4"}, {2.5, "2.5"}, {-504.0, "-504"},
		{1.5e20, "150000000000000000000"}, {3e25, "3" + strings.Repeat("0", 25)},
		{1.5e-5, "1.5e-05"}, {0.1, "0.1"}, {math.Copysign(0, -1), "0"}, {nil, "None"},
		{true, "True"},
		{map[string]any{"from": "2013-02-12T04:30:00.000-02:00", "to": nil},
			"{'to': None, 'from': '2013-02-12T04:30:00.000-02:00'}"},
		{map[string]any{"from": 10.0, "to": 20.0}, "{'to': 20, 'from': 10}"},
		{map[string]any{"to": "it's"}, `{'to': "it's"}`},
	}
	for _, c := range cases {
		if got := valueString(c.v); got != c.want {
			t.Errorf("valueString(%#v) = %s, want %s", c.v, got, c.want)
		}
	}
}

func TestParseReferenceTime(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2019, 2, 12, 10, 0, 0, 0, la)
	for _, s := range []string{"2019-02-12T10:00:00-08:00", "2019-02-12T10:00",
		"2019-02-12 10:00:00", "2019-02-12T18:00:00Z"} {
		got, err := ParseReferenceTime(s, la)
		if err != nil || !got.Equal(want) {
			t.Errorf("%s: %v, %v; want %v", s, got, err, want)
		}
	}
	if got, err := ParseReferenceTime("2019-02-12", nil); err != nil ||
		!got.Equal(time.Date(2019, 2, 12, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("a date without zone: %v, %v; want midnight UTC", got, err)
	}
	for _, bad := range []string{"", "yesterday", "12/02/2019", "2019-02-30"} {
		if _, err := ParseReferenceTime(bad, la); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestSameButZone: entities that differ only in the UTC offset of a time
// are told apart from other differences, for the --timezone hint.
func TestSameButZone(t *testing.T) {
	text := "in January 2019"
	gold := []project.EntityAnnotation{{Start: 0, End: 15, Entity: "time",
		Value: "2019-01-01T00:00:00.000-08:00"}}
	cases := []struct {
		got  []nlu.Entity
		want bool
	}{
		{[]nlu.Entity{duck(0, 15, "time", "2019-01-01T00:00:00.000+00:00")}, true},
		{[]nlu.Entity{duck(0, 15, "time", "2019-01-01T00:00:00.000-08:00")}, false}, // same
		{[]nlu.Entity{duck(0, 15, "time", "2019-02-01T00:00:00.000+00:00")}, false},
		{[]nlu.Entity{duck(3, 15, "time", "2019-01-01T00:00:00.000+00:00")}, false},
		{nil, false},
	}
	for _, c := range cases {
		if got := sameButZone(text, gold, c.got); got != c.want {
			t.Errorf("%v: sameButZone = %v, want %v", c.got, got, c.want)
		}
	}
}
