package cli

import (
	"strings"
	"testing"
)

// datedProject is a project whose test story holds a relative date, as
// Duckling writes it for a message sent on Tuesday 2019-02-12 in Los
// Angeles.
var datedProject = map[string]string{
	"config.yml": `recipe: default.v1
language: en
pipeline:
- name: WhitespaceTokenizer
- name: CountVectorsFeaturizer
- name: DucklingEntityExtractor
  dimensions: [time]
- name: DIETClassifier
  epochs: 5
policies:
- name: RulePolicy
`,
	"domain.yml": `version: "3.1"
intents: [greet, book]
responses:
  utter_greet:
  - text: "Hello"
  utter_booked:
  - text: "Booked"
`,
	"data/nlu.yml": `version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - hi there
- intent: book
  examples: |
    - book it for tomorrow
    - book a slot next friday
    - book for today
`,
	"data/rules.yml": `version: "3.1"
rules:
- rule: greet
  steps:
  - intent: greet
  - action: utter_greet
- rule: book
  steps:
  - intent: book
  - action: utter_booked
`,
	"tests/test_stories.yml": `version: "3.1"
stories:
- story: book tomorrow
  steps:
  - intent: book
    user: |-
      book it for [tomorrow]{"entity": "time", "value": "2019-02-13T00:00:00.000-08:00"}
  - action: utter_booked
`,
}

// TestTestTimezoneAndReferenceTime checks that --timezone and
// --reference-time fix the dates the NLU finds in test stories, and that
// bad values are refused with the flag named.
func TestTestTimezoneAndReferenceTime(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	dir := trainedProject(t, datedProject)
	r := run(t, dir, "", "test", "core", "--timezone", "America/Los_Angeles",
		"--reference-time", "2019-02-12T10:00")
	if r.code != 0 || !strings.Contains(r.stdout, "Stories: 1 of 1 passed") {
		t.Errorf("with the story's zone and time: %+v", r)
	}
	r = run(t, dir, "", "test", "core", "--timezone", "Europe/Berlin",
		"--reference-time", "2019-02-12T10:00")
	if r.code != 1 || !strings.Contains(r.stdout, "Stories: 0 of 1 passed") {
		t.Errorf("in another zone the date must differ: %+v", r)
	}
	if !strings.Contains(r.stdout, "Failed:\n  - ") ||
		!strings.Contains(r.stdout, "results/failed_test_stories.yml") {
		t.Errorf("the failed story and the file with the predictions are not named: %s",
			r.stdout)
	}
	if !strings.Contains(r.stdout, "another UTC offset") || !strings.Contains(r.stdout, "--timezone") {
		t.Errorf("the times differ only in their offset, and the output should say so: %s",
			r.stdout)
	}
	for _, bad := range [][]string{{"--timezone", "Mars/Base"}, {"--timezone", "Local"},
		{"--reference-time", "yesterday"}} {
		r = run(t, dir, "", append([]string{"test", "core"}, bad...)...)
		if r.code == 0 || !strings.Contains(r.stderr, bad[0]) {
			t.Errorf("%v: want an error naming the flag, got %+v", bad, r)
		}
	}
}
