package storytest

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/policy"
	"github.com/parley-chat/parley/internal/project"
)

func intentStep(name, text string) project.Step {
	return project.Step{Kind: project.StepIntent, Intent: name, UserText: text}
}
func actionStep(name string) project.Step {
	return project.Step{Kind: project.StepAction, Action: name}
}

// echoNLU takes the first word of the text as the intent.
type echoNLU struct{}

func (echoNLU) Parse(text string) nlu.Parse {
	word, _, _ := strings.Cut(text, " ")
	return nlu.Parse{Text: text, Intent: nlu.Intent{Name: word, Confidence: 1}}
}

func trained(t *testing.T, rules []project.Story) (*domain.Domain, *policy.Ensemble) {
	t.Helper()
	d := &domain.Domain{}
	for _, in := range []string{"greet", "bye", "loop"} {
		d.Intents = append(d.Intents, domain.Intent{Name: in, UseAllEntities: true})
	}
	p := &project.Project{Domain: d, Rules: rules,
		Config: project.Config{Policies: []project.Component{{Name: "RulePolicy"}}}}
	e, err := policy.Train(context.Background(), p, policy.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return d, e
}

func rule(steps ...project.Step) project.Story {
	return project.Story{Name: "r", Kind: project.KindRule, WaitForUserInput: true, Steps: steps}
}

func TestWrongPredictionsAreAnnotated(t *testing.T) {
	d, e := trained(t, []project.Story{rule(intentStep("greet", ""), actionStep("utter_greet")),
		rule(intentStep("bye", ""), actionStep("utter_bye"))})
	stories := []project.Story{
		{Name: "good", Steps: []project.Step{intentStep("greet", "greet me"), actionStep("utter_greet")}},
		{Name: "bad", Pos: project.Pos{File: "tests/test_stories.yml", Line: 3},
			Steps: []project.Step{intentStep("greet", "bye now"), actionStep("utter_greet"),
				intentStep("bye", "bye"), actionStep("utter_wave")}},
	}
	r, err := Run(context.Background(), Input{Domain: d, Policies: e, Stories: stories, Parser: echoNLU{}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 2 || r.Failed != 1 {
		t.Fatalf("total %d failed %d", r.Total, r.Failed)
	}
	want := `version: "3.1"
stories:
- story: bad (tests/test_stories.yml)
  steps:
  - intent: greet  # predicted: bye: bye now
    user: |-
      bye now
  - action: utter_greet
  - intent: bye
    user: |-
      bye
  - action: utter_wave  # predicted: utter_bye
  - action: action_listen  # predicted: action_default_fallback
`
	if got := string(r.FailedStoriesYAML()); got != want {
		t.Fatalf("failed stories:\n%s\nwant:\n%s", got, want)
	}
	var rep map[string]json.RawMessage
	data, err := r.StoryReportJSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
	checks := map[string]string{
		"utter_wave":            `{"precision":0.0,"recall":0.0,"f1-score":0.0,"support":1}`,
		"utter_bye":             `{"precision":0.0,"recall":0.0,"f1-score":0.0,"support":0}`,
		"conversation_accuracy": `{"accuracy":0.5,"correct":1,"with_warnings":0,"total":2}`,
	}
	for k, want := range checks {
		var b bytes.Buffer
		_ = json.Compact(&b, rep[k])
		if b.String() != want {
			t.Errorf("%s = %s, want %s", k, b.String(), want)
		}
	}
}

func TestPredictionLimitFailsStory(t *testing.T) {
	d, e := trained(t, []project.Story{rule(intentStep("loop", ""), actionStep("utter_a"))})
	steps := []project.Step{intentStep("loop", "")}
	for range 11 {
		steps = append(steps, actionStep("utter_a"))
	}
	r, err := Run(context.Background(), Input{Domain: d, Policies: e,
		Stories: []project.Story{{Name: "long", Steps: steps}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Failed != 1 || !r.Stories[0].LimitReached {
		t.Fatalf("story with 12 actions after one message passed: %+v", r.Stories[0])
	}
}

func TestRunNeedsPolicies(t *testing.T) {
	if _, err := Run(context.Background(), Input{}); err == nil {
		t.Fatal("no error without policies")
	}
}
