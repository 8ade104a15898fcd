package storytest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/policy"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/testenv"
)

// evaluateBot trains a shared bot and evaluates its test stories (or, when
// it has none, its training stories).
func evaluateBot(t *testing.T, name string, opts project.Options) *Report {
	t.Helper()
	in := trainBot(t, name, opts)
	r, err := Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// trainBot loads and trains a shared bot; the input holds its test stories
// (or, when it has none, its training stories).
func trainBot(t *testing.T, name string, opts project.Options) Input {
	t.Helper()
	dir := testenv.Shared(t, "data/bots/"+name)
	p, err := project.Load(dir, opts)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	ctx := context.Background()
	nluModel, err := pipeline.Train(ctx, p.NLU, p.Config,
		pipeline.TrainOptions{Responses: p.Domain.Responses})
	if err != nil {
		t.Fatalf("NLU %s: %v", name, err)
	}
	ens, err := policy.Train(ctx, p, policy.TrainOptions{})
	if err != nil {
		t.Fatalf("policies %s: %v", name, err)
	}
	stories := p.TestStories
	if len(stories) == 0 {
		stories = p.Stories
	}
	return Input{Domain: p.Domain, NLU: nluModel, Policies: ens, Stories: stories}
}

func TestMoodbotStories(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	r := evaluateBot(t, "moodbot", project.Options{})
	wrong := 0
	for _, s := range r.Stories {
		wrong += s.WrongActions
	}
	// The dialogue must be perfect; the NLU may miss an utterance or two.
	if r.Total != 7 || wrong != 0 {
		t.Fatalf("moodbot: %d wrong actions in %d stories:\n%s", wrong, r.Total, r.FailedStoriesYAML())
	}
	dir := t.TempDir()
	if err := r.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, StoryReportFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"utter_greet": {`, `"conversation_accuracy": {`,
		`"accuracy": 1.0`, `"total": 7`, `"support": 16`, `"action_listen": {`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("story_report.json lacks %s:\n%s", want, data)
		}
	}
	failed, _ := os.ReadFile(filepath.Join(dir, FailedStoryFile))
	if r.Failed == 0 && !strings.HasPrefix(string(failed), noFailuresString) {
		t.Errorf("failed_test_stories.yml: %s", failed)
	}
}

// TestOtherBots reports how the other example bots do through their
// trained NLU (logged: the NLU decides some stories), and checks their
// dialogue alone: replayed with the intents and entities the stories give
// for each text, every action of every test story must be predicted,
// except formbot's utter_slots_values, which its own rule "submit form"
// contradicts (docs/dialogue.md).
func TestOtherBots(t *testing.T) {
	if testing.Short() {
		t.Skip("trains models")
	}
	for _, name := range []string{"formbot", "responseselectorbot", "financial-demo", "e2ebot",
		"reminderbot"} {
		t.Run(name, func(t *testing.T) {
			opts := project.Options{}
			if name == "responseselectorbot" {
				opts.Tests = []string{"stories"}
			}
			in := trainBot(t, name, opts)
			r, err := Run(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s through its NLU: %d of %d stories failed", name, r.Failed, r.Total)
			in.NLU, in.Parser = nil, goldParser(in.Stories)
			r, err = Run(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range r.Actions {
				if a.Predicted == a.Action || name == "formbot" &&
					a.Action == "utter_slots_values" && a.Predicted == "utter_submit" {
					continue
				}
				t.Errorf("%s, story %q: %s predicted for %s (%s %.2f)", name, a.Story,
					a.Predicted, a.Action, a.Policy, a.Confidence)
			}
		})
	}
}

// goldParser parses each user text of the stories as the stories say:
// their intent and their entities.
func goldParser(stories []project.Story) Parser {
	gold := parserFunc{}
	for _, st := range stories {
		for _, step := range st.Steps {
			if step.Kind != project.StepIntent || step.UserText == "" {
				continue
			}
			in := nlu.Intent{Name: step.Intent, Confidence: 1}
			p := nlu.Parse{Text: step.UserText, Intent: in, IntentRanking: []nlu.Intent{in},
				Entities: []nlu.Entity{}}
			for _, e := range step.UserEntities {
				p.Entities = append(p.Entities, nlu.Entity{Entity: e.Entity, Value: e.Value,
					Start: e.Start, End: e.End, Role: e.Role, Group: e.Group})
			}
			gold[step.UserText] = p
		}
	}
	return gold
}

// parserFunc is a Parser from a table of texts.
type parserFunc map[string]nlu.Parse

func (p parserFunc) Parse(text string) nlu.Parse {
	if parse, ok := p[text]; ok {
		return parse
	}
	return nlu.Parse{Text: text, Entities: []nlu.Entity{}}
}

// TestBotNumberAndDateStories replays stories whose messages hold numbers,
// amounts and dates through the whole pipeline (NLU with the built-in
// Duckling extractors, then the policies) with no Duckling server: each
// story's entities, values included, must be the ones the NLU finds.
// Messages count as sent on Tuesday 2019-02-12 at 10:00 in Los Angeles, a
// Duckling server's default zone; in another zone the dates differ.
func TestBotNumberAndDateStories(t *testing.T) {
	if testing.Short() {
		t.Skip("trains models")
	}
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2019, 2, 12, 10, 0, 0, 0, la)
	for _, c := range []struct{ bot, file string }{
		{"formbot", "formbot_numbers.yml"}, {"financial-demo", "financial_dates.yml"},
	} {
		t.Run(c.bot, func(t *testing.T) {
			file, err := filepath.Abs(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			in := trainBot(t, c.bot, project.Options{Tests: []string{file}})
			in.Time, in.Zone = clock, la
			r, err := Run(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if r.Total == 0 || r.Failed != 0 {
				t.Fatalf("%s: %d of %d stories failed:\n%s", c.file, r.Failed, r.Total,
					r.FailedStoriesYAML())
			}
			if c.bot != "financial-demo" {
				return
			}
			in.Zone, _ = time.LoadLocation("Europe/Berlin")
			if r, err = Run(context.Background(), in); err != nil || r.Failed == 0 {
				t.Errorf("%s: the dates did not change with the zone (%v)", c.file, err)
			}
		})
	}
}
