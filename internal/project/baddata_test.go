package project

import (
	"strings"
	"testing"
)

// badInput is a project file with one mistake and the diagnostic it must
// give: its place (file:line:column), severity and words of its message.
type badInput struct {
	name  string
	file  string
	body  string
	pos   string
	sev   Severity
	words []string
}

var badInputs = []badInput{
	{"comment line in examples", "data/nlu.yml",
		"nlu:\n- intent: greet\n  examples: |\n    - hello\n    # - bonjour\n",
		"data/nlu.yml:5:5", Warning, []string{`"# - bonjour"`, "ignored"}},
	{"line without dash", "data/nlu.yml",
		"nlu:\n- intent: greet\n  examples: |\n    - hello\n    salut\n",
		"data/nlu.yml:5:5", Warning, []string{`"salut"`, "does not start with '- '"}},
	{"json annotation closed by a parenthesis", "data/nlu.yml",
		"nlu:\n- intent: inform\n  examples: |\n    - I am [Ann]{\"entity\": \"name\") ok\n",
		"data/nlu.yml:4:12", Error, []string{"not valid JSON"}},
	{"space before the entity", "data/nlu.yml",
		"nlu:\n- intent: inform\n  examples: |\n    - I am [Ann] (name)\n",
		"data/nlu.yml:4:12", Warning, []string{"space after ']'"}},
	{"annotation in a list example", "data/nlu.yml",
		"nlu:\n- intent: inform\n  examples:\n  - text: \"I am [Ann](name\"\n",
		"data/nlu.yml:4:17", Error, []string{"not closed with ')'"}},
	{"nlu is null", "data/nlu.yml", "version: \"3.1\"\nnlu:\n",
		"data/nlu.yml:2:5", Error, []string{"nlu: is empty"}},
	{"unknown nlu item key", "data/nlu.yml", "nlu:\n- intent: greet\n  exampels: |\n    - hi\n",
		"data/nlu.yml:3:3", Error, []string{`unknown key "exampels"`}},
	{"bad retrieval intent", "data/nlu.yml", "nlu:\n- intent: faq/\n  examples: |\n    - hi\n",
		"data/nlu.yml:2:11", Error, []string{"not a valid retrieval intent"}},
	{"unsupported version", "data/nlu.yml",
		"version: \"1.0\"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n",
		"data/nlu.yml:1:10", Warning, []string{`format version "1.0"`}},
	{"unquoted user text with more text", "data/stories.yml",
		"stories:\n- story: s\n  steps:\n  - user: [Ann](name) here\n    intent: inform\n",
		"data/stories.yml:4:11", Error, []string{"put the whole text in quotes"}},
	{"unquoted user text read as a list", "data/stories.yml",
		"stories:\n- story: s\n  steps:\n  - user: [Ann]\n    intent: inform\n",
		"data/stories.yml:4:11", Error, []string{"read by YAML as a list", "quotes"}},
	{"unknown step key", "data/stories.yml",
		"stories:\n- story: s\n  steps:\n  - intent: greet\n  - acton: utter_greet\n",
		"data/stories.yml:5:5", Error, []string{`unknown key "acton"`}},
	{"missing intent name", "data/stories.yml",
		"stories:\n- story: s\n  steps:\n  - intent:\n  - action: utter_greet\n",
		"data/stories.yml:4:12", Error, []string{"no intent name"}},
	{"two kinds in one step", "data/stories.yml",
		"stories:\n- story: s\n  steps:\n  - intent: greet\n    action: utter_greet\n",
		"data/stories.yml:4:5", Error, []string{"exactly one of"}},
	{"checkpoint in a rule", "data/rules.yml",
		"rules:\n- rule: r\n  steps:\n  - checkpoint: c\n",
		"data/rules.yml:4:5", Error, []string{"checkpoints are not allowed in rules"}},
	{"unknown story key", "data/stories.yml",
		"stories:\n- story: s\n  stepz:\n  - intent: greet\n",
		"data/stories.yml:3:3", Error, []string{`unknown key "stepz"`}},
	{"rule under stories", "data/stories.yml",
		"stories:\n- rule: r\n  steps:\n  - intent: greet\n",
		"data/stories.yml:2:3", Error, []string{"listed under storys"}},
	{"bad slot entry", "data/stories.yml",
		"stories:\n- story: s\n  steps:\n  - slot_was_set:\n    - [a, b]\n",
		"data/stories.yml:5:7", Error, []string{"slot_was_set entry"}},
	{"entities on an action", "data/stories.yml",
		"stories:\n- story: s\n  steps:\n  - action: utter_greet\n    entities: [name]\n",
		"data/stories.yml:5:5", Error, []string{"entities: belongs to an intent"}},
	{"yaml syntax error", "data/nlu.yml", "nlu:\n- intent: greet\n  examples: |\n - hi\n  x: [\n",
		"data/nlu.yml:", Error, []string{"YAML syntax error"}},
	{"duplicate key", "domain.yml", "intents: [greet]\nintents: [bye]\n",
		"domain.yml:2:1", Error, []string{`duplicate key "intents"`, "line 1"}},
	{"duplicate intent", "domain.yml", "intents:\n- greet\n- bye\n- greet\n",
		"domain.yml:4:3", Error, []string{`intent "greet" is listed twice`, "line 2"}},
	{"duplicate entity", "domain.yml", "entities:\n- name\n- name\n",
		"domain.yml:3:3", Error, []string{`entity "name" is listed twice`}},
	{"duplicate action", "domain.yml", "actions:\n- action_a\n- action_a: {send_domain: true}\n",
		"domain.yml:3:3", Error, []string{`action "action_a" is listed twice`}},
	{"missing intent name in domain", "domain.yml", "intents:\n- greet\n-\n- bye\n",
		"domain.yml:3:2", Error, []string{"missing intent name"}},
	{"null response", "domain.yml", "responses:\n  utter_a:\n  utter_b:\n  - text: b\n",
		"domain.yml:2:11", Error, []string{`response "utter_a" has no value`}},
	{"null variation", "domain.yml", "responses:\n  utter_a:\n  -\n",
		"domain.yml:3:4", Error, []string{"must be a mapping"}},
	{"unknown variation key", "domain.yml", "responses:\n  utter_a:\n  - txt: hi\n",
		"domain.yml:3:5", Error, []string{`unknown key "txt"`}},
	{"bare string variation", "domain.yml", "responses:\n  utter_a:\n  - hi there\n",
		"domain.yml:3:5", Error, []string{`found "hi there"`}},
	{"unknown slot type", "domain.yml",
		"slots:\n  s:\n    type: texts\n    mappings: [{type: custom}]\n",
		"domain.yml:3:11", Error, []string{`unknown slot type "texts"`}},
	{"slot without type", "domain.yml", "slots:\n  s:\n    mappings: [{type: custom}]\n",
		"domain.yml:2:3", Error, []string{`slot "s" has no type`}},
	{"unknown mapping type", "domain.yml",
		"slots:\n  s:\n    type: text\n    mappings:\n    - type: from_entty\n",
		"domain.yml:5:13", Error, []string{`unknown slot mapping type "from_entty"`}},
	{"from_entity without entity", "domain.yml",
		"slots:\n  s:\n    type: text\n    mappings:\n    - type: from_entity\n",
		"domain.yml:5:7", Error, []string{"names no entity"}},
	{"float bounds", "domain.yml",
		"slots:\n  s:\n    type: float\n    min_value: 5\n    max_value: 1\n    mappings: []\n",
		"domain.yml:2:3", Error, []string{"below min_value"}},
	{"negative session time", "domain.yml", "session_config:\n  session_expiration_time: -1\n",
		"domain.yml:2:28", Error, []string{"negative"}},
	{"component without name", "config.yml", "pipeline:\n- analyzer: word\n",
		"config.yml:2:3", Error, []string{"has no name"}},
	{"unset environment variable", "endpoints.yml",
		"action_endpoint:\n  url: \"${PARLEY_TEST_SURELY_UNSET}/webhook\"\n",
		"endpoints.yml:2:8", Error, []string{`"PARLEY_TEST_SURELY_UNSET"`, "not set"}},
	{"channel not a mapping", "credentials.yml", "rest: yes\n",
		"credentials.yml:1:7", Error, []string{"channel rest must be a mapping"}},
	{"invalid json", "data/nlu.json", "{\"rasa_nlu_data\": {\n  \"common_examples\": [,]}}\n",
		"data/nlu.json:2:23", Error, []string{"invalid JSON"}},
	{"json entity out of range", "data/nlu.json",
		`{"rasa_nlu_data": {"common_examples": [{"text": "hi", "intent": "greet",` +
			"\n" + `"entities": [{"start": 0, "end": 9, "entity": "name"}]}]}}`,
		"data/nlu.json:2:14", Error, []string{"outside the text"}},
}

func TestBadInputs(t *testing.T) {
	for _, tt := range badInputs {
		t.Run(tt.name, func(t *testing.T) {
			p := loadFiles(t, map[string]string{tt.file: tt.body})
			d, ok := findDiag(p.Diagnostics, tt.words...)
			if !ok {
				t.Fatalf("no diagnostic with %q; got:\n%v", tt.words, p.Diagnostics)
			}
			if got := d.Pos.String(); got != tt.pos && !(tt.pos[len(tt.pos)-1] == ':' &&
				len(got) > len(tt.pos) && got[:len(tt.pos)] == tt.pos) {
				t.Errorf("position %s, want %s (%s)", got, tt.pos, d)
			}
			if d.Severity != tt.sev {
				t.Errorf("severity %v, want %v (%s)", d.Severity, tt.sev, d)
			}
			if d.Hint == "" {
				t.Errorf("no hint on how to fix it: %s", d)
			}
		})
	}
}

// TestSyntaxErrorIsTheOnlyDiagnostic: a file YAML cannot read gets its
// syntax error and nothing else, not also a warning that it is empty.
func TestSyntaxErrorIsTheOnlyDiagnostic(t *testing.T) {
	p := loadFiles(t, map[string]string{"tests/test_stories.yml": "stories:\n- story: s\n" +
		"  steps:\n  - user: [Ann](name) here\n    intent: inform\n"})
	var mine []string
	for _, d := range p.Diagnostics {
		if strings.HasPrefix(d.Pos.File, "tests/test_stories.yml") {
			mine = append(mine, d.String())
		}
	}
	if len(mine) != 1 || !strings.Contains(mine[0], "YAML syntax error") {
		t.Errorf("diagnostics of the file: %q, want the syntax error alone", mine)
	}
}
