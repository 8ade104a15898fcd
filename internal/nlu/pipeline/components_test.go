package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/project"
)

// travelData has entities, roles, a synonym and a lookup table.
func travelData() project.NLUData {
	dep := func(c string) string { return `[` + c + `]{"entity": "city", "role": "departure"}` }
	dst := func(c string) string { return `[` + c + `]{"entity": "city", "role": "destination"}` }
	exs := examples("book_flight",
		`fly from `+dep("Berlin")+` to `+dst("Paris"),
		`a flight from `+dep("Rome")+` to `+dst("Oslo")+` please`,
		`I want to go from `+dep("Madrid")+` to `+dst("London"),
		`book me a flight to `+dst("Tokyo"),
		`flights to `+dst("Vienna")+` from `+dep("Prague"),
		`get me to `+dst("Lisbon"),
		`from `+dep("Dublin")+` to `+dst("Athens")+` tomorrow`,
		`fly to [NYC]{"entity": "city", "role": "destination", "value": "New York"}`,
	)
	exs = append(exs, examples("check_balance",
		"what is my balance", "how much money is in my [savings](account) account",
		"show my [checking](account) balance", "balance of my [credit card](account:credit)",
		"how much do I have", "what's left on my [savings](account)")...)
	exs = append(exs, examples("greet", "hi", "hello", "hey there", "good morning")...)
	return project.NLUData{Examples: exs,
		Synonyms: []project.Synonym{{Value: "Savings", Examples: []string{"savings", "saving"}}},
		Lookups: []project.Pattern{{Name: "language",
			Elements: []string{"c++", "c#", ".net", "objective c"}}}}
}

func entityStrings(p nlu.Parse) []string {
	var out []string
	for _, e := range p.Entities {
		s := e.Entity
		if e.Role != "" {
			s += "." + e.Role
		}
		out = append(out, s+"="+jsonString(e.Value)+"@"+e.Extractor)
	}
	return out
}

func TestCRFEntities(t *testing.T) {
	m, _ := train(t, travelData(), project.Config{PipelineDefaulted: true})
	p := m.Parse("fly from Berlin to Rome")
	got := strings.Join(entityStrings(p), " ")
	want := `city.departure="Berlin"@DIETClassifier city.destination="Rome"@DIETClassifier`
	if got != want {
		t.Errorf("entities = %s, want %s", got, want)
	}
	if p.Intent.Name != "book_flight" {
		t.Errorf("intent = %+v", p.Intent)
	}
	for _, e := range p.Entities {
		if e.Confidence == nil || *e.Confidence <= 0 || *e.Confidence > 1 {
			t.Errorf("confidence of %v = %v", e.Entity, e.Confidence)
		}
	}
}

func TestSynonyms(t *testing.T) {
	m, _ := train(t, travelData(), project.Config{PipelineDefaulted: true})
	cases := []struct {
		text, entity, want string
		mapped             bool
	}{
		{"how much is in my SAVINGS account", "account", "Savings", true},
		{"balance of my credit card", "account", "credit", true},
		{"show my checking balance", "account", "checking", false},
	}
	for _, c := range cases {
		p := m.Parse(c.text)
		var found *nlu.Entity
		for i := range p.Entities {
			if p.Entities[i].Entity == c.entity {
				found = &p.Entities[i]
			}
		}
		if found == nil {
			t.Errorf("%q: no %s entity in %v", c.text, c.entity, entityStrings(p))
			continue
		}
		if found.Value != c.want || (len(found.Processors) > 0) != c.mapped {
			t.Errorf("%q: value %v processors %v, want %q mapped=%v", c.text, found.Value,
				found.Processors, c.want, c.mapped)
		}
	}
	// An inline value applies to its own entity type only.
	m.mapSynonyms([]nlu.Entity{{Entity: "city", Value: "credit card"}})
	ents := []nlu.Entity{{Entity: "city", Value: "credit card"}, {Entity: "bank", Value: "Saving"}}
	m.mapSynonyms(ents)
	if ents[0].Value != "credit card" || ents[1].Value != "Savings" {
		t.Errorf("synonym scope: %+v", ents)
	}
}

func TestRegexEntityExtractor(t *testing.T) {
	data := travelData()
	data.Examples = append(data.Examples, examples("ask_language",
		"do you know [c++](language)", "I code in [.net](language)", "[c#](language) is fun")...)
	cfg := config(comp("WhitespaceTokenizer"), comp("CountVectorsFeaturizer"),
		comp("LogisticRegressionClassifier"), comp("RegexEntityExtractor"))
	m, _ := train(t, data, cfg)
	got := entityStrings(m.Parse("I love C++, c# and Objective C but not .net-core"))
	want := []string{`language="C++"@RegexEntityExtractor`, `language="c#"@RegexEntityExtractor`,
		`language="Objective C"@RegexEntityExtractor`, `language=".net"@RegexEntityExtractor`}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("entities = %q, want %q", got, want)
	}
}

func TestSpansSliceText(t *testing.T) {
	m, _ := train(t, travelData(), project.Config{PipelineDefaulted: true})
	for _, text := range []string{"fly from Berlin to Rome", "fly from Zürich to Kraków 👍",
		"क्या आपके पास दूध है", "東京から大阪へ fly to Oslo", "balance of my savings, c++"} {
		p := m.Parse(text)
		runes := []rune(text)
		for _, tk := range p.TextTokens {
			if tk[0] < 0 || tk[1] > len(runes) || tk[0] >= tk[1] {
				t.Errorf("%q: bad token %v", text, tk)
			}
		}
		for _, e := range p.Entities {
			if e.Start < 0 || e.End > len(runes) || string(runes[e.Start:e.End]) != e.Text {
				t.Errorf("%q: entity %+v does not slice the text", text, e)
			}
		}
	}
	p := m.Parse("क्या आपके पास दूध है")
	if len(p.TextTokens) != 5 || p.TextTokens[1] != [2]int{5, 9} {
		t.Errorf("Hindi tokens = %v", p.TextTokens)
	}
	if p := m.Parse("👍"); len(p.TextTokens) != 1 || p.Intent.Name == "" {
		t.Errorf("emoji parse = %+v", p)
	}
	if utf8.RuneCountInString("👍") != 1 {
		t.Fatal("test assumption")
	}
}

func TestAlignmentWarning(t *testing.T) {
	data := travelData()
	ex := example("book_flight", "fly to Parisian places")
	ex.Entities = []project.EntityAnnotation{{Start: 7, End: 12, Entity: "city", Value: "Paris"}}
	ex.Pos = project.Pos{File: "data/nlu.yml", Line: 42}
	data.Examples = append(data.Examples, ex)
	_, warns := train(t, data, project.Config{PipelineDefaulted: true})
	found := false
	for _, w := range warns {
		if w.Pos.Line == 42 && strings.Contains(w.Message, "does not line up") &&
			strings.Contains(w.Message, `"Parisian"`) {
			found = true
		}
	}
	if !found {
		t.Errorf("no alignment warning at data/nlu.yml:42: %v", warns)
	}
}

func TestFallback(t *testing.T) {
	data := moodData()
	high := config(comp("WhitespaceTokenizer"), comp("CountVectorsFeaturizer"),
		comp("LogisticRegressionClassifier"), comp("FallbackClassifier", "threshold", 0.99,
			"ambiguity_threshold", 0.0))
	m, _ := train(t, data, high)
	p := m.Parse("hello")
	if p.Intent.Name != FallbackIntent || p.Intent.Confidence != 0.99 ||
		p.IntentRanking[0].Name != FallbackIntent || p.IntentRanking[1].Name != "greet" {
		t.Errorf("threshold 0.99: %+v", p)
	}
	amb := config(comp("WhitespaceTokenizer"), comp("CountVectorsFeaturizer"),
		comp("LogisticRegressionClassifier"), comp("FallbackClassifier", "threshold", 0.0,
			"ambiguity_threshold", 1.0))
	m, _ = train(t, data, amb)
	if p := m.Parse("hello"); p.Intent.Name != FallbackIntent || p.Intent.Confidence != 0 {
		t.Errorf("ambiguity 1.0: %+v", p.Intent)
	}
	low := config(comp("WhitespaceTokenizer"), comp("CountVectorsFeaturizer"),
		comp("LogisticRegressionClassifier", "ranking_length", 3),
		comp("FallbackClassifier", "threshold", 0.1, "ambiguity_threshold", 0.01))
	m, _ = train(t, data, low)
	if p := m.Parse("hello"); p.Intent.Name != "greet" || len(p.IntentRanking) != 3 {
		t.Errorf("threshold 0.1: %+v", p)
	}
}

func TestKeywordClassifier(t *testing.T) {
	m, _ := train(t, moodData(), config(comp("KeywordIntentClassifier")))
	if p := m.Parse("well hello there friend"); p.Intent.Name != "greet" ||
		p.Intent.Confidence != 1 {
		t.Errorf("keyword: %+v", p.Intent)
	}
	if p := m.Parse("Hello"); p.Intent.Name != "" {
		t.Errorf("case-sensitive keyword matched: %+v", p.Intent)
	}
}

func TestRetrievalIntents(t *testing.T) {
	data := moodData()
	data.Examples = append(data.Examples, examples("faq/ask_hours", "when are you open",
		"what are your opening hours", "are you open on sunday", "what time do you close")...)
	data.Examples = append(data.Examples, examples("faq/ask_location", "where are you",
		"what is your address", "where is the shop", "how do I find you")...)
	data.Examples = append(data.Examples, examples("chitchat/ask_name", "what is your name",
		"who are you", "do you have a name")...)
	resp := map[string][]domain.Response{
		"utter_faq/ask_hours": {{Text: "We are open 9 to 5."}},
	}
	m, err := Train(context.Background(), data, project.Config{PipelineDefaulted: true},
		TrainOptions{Responses: resp})
	if err != nil {
		t.Fatal(err)
	}
	p := m.Parse("when do you open")
	if p.Intent.Name != "faq" || p.Intent.FullRetrievalName != "faq/ask_hours" {
		t.Fatalf("intent = %+v", p.Intent)
	}
	sel := p.ResponseSelector.Selectors["default"]
	if *sel.Response.IntentResponseKey != "faq/ask_hours" ||
		sel.Response.UtterAction != "utter_faq/ask_hours" ||
		sel.Response.Responses[0]["text"] != "We are open 9 to 5." {
		t.Errorf("selector = %+v", sel)
	}
	if got := p.ResponseSelector.AllRetrievalIntents; strings.Join(got, ",") != "chitchat,faq" {
		t.Errorf("all_retrieval_intents = %v", got)
	}
	b := jsonString(p)
	want := `"response_selector":{"all_retrieval_intents":["chitchat","faq"],"default":{`
	if !strings.Contains(b, want) ||
		!strings.Contains(b, `"full_retrieval_intent_name":"faq/ask_hours"`) {
		t.Errorf("JSON = %s", b)
	}
}

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		comp project.Component
		want string
	}{
		{comp("Nonsense"), `config.yml:3:5: unknown pipeline component "Nonsense"`},
		{comp("FallbackClassifier", "threshold", 1.5),
			`config.yml:3:5: FallbackClassifier option "threshold"`},
		{comp("DIETClassifier", "ranking_length", "ten"),
			`DIETClassifier option "ranking_length": want a number`},
		{comp("CountVectorsFeaturizer", "analyzer", "chars"), `analyzer "chars"`},
		{comp("WhitespaceTokenizer", "token_pattern", `(?<=x)`), `look-around`},
		{comp("CRFEntityExtractor", "max_iterations", 0), `max_iterations`},
	}
	for _, c := range cases {
		_, err := Train(context.Background(), moodData(), config(c.comp), TrainOptions{})
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.comp.Name, err, c.want)
		}
	}
}

func TestSubstitutesWarnOnce(t *testing.T) {
	cfg := config(comp("SpacyNLP", "model", "en_core_web_md"), comp("SpacyTokenizer"),
		comp("SpacyFeaturizer"), comp("SpacyFeaturizer"), comp("DIETClassifier"),
		comp("SpacyEntityExtractor"), comp("SpacyEntityExtractor"))
	_, warns := train(t, moodData(), cfg)
	count := map[string]int{}
	for _, w := range warns {
		count[strings.Fields(w.Message)[0]]++
	}
	for _, name := range []string{"SpacyNLP", "SpacyTokenizer", "SpacyFeaturizer",
		"SpacyEntityExtractor"} {
		if count[name] != 1 {
			t.Errorf("%s warned %d times: %v", name, count[name], warns)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	m, err := Train(context.Background(), travelData(), project.Config{PipelineDefaulted: true},
		TrainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		m.Parse("fly from Berlin to Rome tomorrow")
	}
}

func BenchmarkTrainMoodbot(b *testing.B) {
	for b.Loop() {
		if _, err := Train(context.Background(), moodData(),
			project.Config{PipelineDefaulted: true}, TrainOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
