package project

import (
	"errors"
	"path/filepath"
	"testing"
)

const tinyNLU = "nlu:\n- intent: greet\n  examples: |\n    - hi\n" +
	"responses:\n  utter_faq/hours:\n  - text: nine to five\n"

func TestLoadOptions(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"conf/bot.yml":  "language: fr\n",
		"dom.yaml":      "intents: [greet]\n",
		"nlu_a/nlu.yml": tinyNLU,
		"nlu_b/more.json": `{"rasa_nlu_data": {"common_examples": ` +
			`[{"text": "salut", "intent": "greet"}]}}`,
		"checks/my_checks.yml": "stories:\n- story: t\n  steps:\n  - intent: greet\n",
		"ep.yml":               "models:\n  url: http://models\n",
		"cred.yml":             "rest:\n",
	})
	p, err := Load(dir, Options{Config: "conf/bot.yml", Domain: "dom.yaml",
		Data: []string{"nlu_a", filepath.Join(dir, "nlu_b")}, Tests: []string{"checks/my_checks.yml"},
		Endpoints: "ep.yml", Credentials: "cred.yml"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Config.Language != "fr" || len(p.NLU.Examples) != 2 || len(p.TestStories) != 1 ||
		p.Endpoints.Models["url"] != "http://models" || p.Credentials["rest"] == nil {
		t.Errorf("project: %+v", p)
	}
	if p.Domain.Responses["utter_faq/hours"] == nil ||
		p.DomainPos.Responses["utter_faq/hours"].File != "nlu_a/nlu.yml" {
		t.Errorf("NLU responses not merged into the domain: %+v", p.Domain.Responses)
	}
	if len(p.Files) != 7 {
		t.Errorf("files: %v", p.Files)
	}
}

func TestLoadDataOnly(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"config.yml":    "pipeline: [{name: KeywordIntentClassifier}]\n",
		"domain.yml":    "this: [is: broken\n",
		"data/nlu.yml":  tinyNLU,
		"endpoints.yml": "broken: [\n",
	})
	p, err := Load(dir, Options{DataOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.NLU.Examples) != 1 || !p.Config.PipelineDefaulted || p.Domain == nil ||
		p.Domain.Responses["utter_faq/hours"] == nil || len(p.Files) != 1 {
		t.Errorf("data-only project: %+v", p)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := writeProject(t, map[string]string{"data/nlu.yml": tinyNLU})
	if _, err := Load(filepath.Join(dir, "data", "nlu.yml"), Options{}); !errors.Is(err, ErrNotProject) {
		t.Errorf("a file as root: %v", err)
	}
	if _, err := Load(dir, Options{Domain: "nope.yml"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing explicit domain: %v", err)
	}
	p, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, words := range []string{"config.yml not found", "no domain.yml"} {
		if _, ok := findDiag(p.Diagnostics.Warnings(), words); !ok {
			t.Errorf("no warning %q: %v", words, p.Diagnostics)
		}
	}
	bad := writeProject(t, map[string]string{"domain.yml": "intents: [a, a]\n"})
	p, err = Load(bad, Options{})
	if !errors.Is(err, ErrInvalidProject) || p == nil || len(p.Diagnostics.Errors()) != 1 {
		t.Errorf("invalid project: %v %v", err, p)
	}
}

func TestNonASCIINames(t *testing.T) {
	p := loadFiles(t, map[string]string{
		"domain.yml": "version: \"3.1\"\nintents: [größe_fragen, 天気]\nentities: [größe]\n" +
			"slots:\n  größe:\n    type: text\n    mappings: [{type: from_entity, entity: größe}]\n" +
			"responses:\n  utter_größe:\n  - text: Größe {größe}\n",
		"data/nlu.yml": "nlu:\n- intent: größe_fragen\n  examples: |\n" +
			"    - welche [Größe](größe) hat das?\n    - ist [XL]{\"entity\": \"größe\"} da?\n" +
			"    - gibt es das in [Übergröße](größe)\n" +
			"- intent: 天気\n  examples: |\n    - 今日の天気は?\n",
		"data/rules.yml": "rules:\n- rule: r\n  steps:\n  - intent: größe_fragen\n" +
			"  - action: utter_größe\n- rule: w\n  steps:\n  - intent: 天気\n  - action: utter_größe\n",
	})
	if len(p.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", p.Diagnostics)
	}
	if v := Validate(p); len(v) != 0 {
		t.Fatalf("validation: %v", v)
	}
	ex := p.NLU.Examples[0]
	e := ex.Entities[0]
	if ex.Intent != "größe_fragen" || e.Entity != "größe" || ex.Text[e.Start:e.End] != "Größe" {
		t.Errorf("example %+v", ex)
	}
	if p.NLU.Examples[3].Intent != "天気" || p.NLU.Examples[3].Text != "今日の天気は?" {
		t.Errorf("example %+v", p.NLU.Examples[3])
	}
	if _, ok := p.Domain.Slot("größe"); !ok {
		t.Error("slot größe missing")
	}
}
