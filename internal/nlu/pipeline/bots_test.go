package pipeline

import (
	"context"
	"testing"

	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/testenv"
)

// storyIntents trains a shared bot's NLU with its own config and parses the
// user texts of its test stories; it returns the steps whose intent came
// out wrong, as "text → predicted (confidence), want intent".
func storyIntents(t *testing.T, bot string) (wrong []string, total int) {
	t.Helper()
	dir := testenv.Shared(t, "data/bots/"+bot)
	p, err := project.Load(dir, project.Options{})
	if err != nil {
		t.Fatalf("load %s: %v", bot, err)
	}
	m, err := Train(context.Background(), p.NLU, p.Config, TrainOptions{
		Responses: p.Domain.Responses})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range p.TestStories {
		for _, st := range s.Steps {
			if st.UserText == "" || st.Intent == "" {
				continue
			}
			total++
			got := m.Parse(st.UserText)
			name := got.Intent.Name
			if got.Intent.FullRetrievalName != "" {
				name = got.Intent.FullRetrievalName
			}
			if name != st.Intent {
				wrong = append(wrong, st.UserText+" → "+name+", want "+st.Intent)
			}
		}
	}
	return wrong, total
}

// TestFinancialDemoStories: financial-demo's FallbackClassifier threshold of
// 0.7 is compared with calibrated confidences. Every user text of its test
// stories keeps its intent except "check earnings" (12 steps): the model
// gives it check_earnings 0.49 and inform 0.35 ("earnings" is unseen, and
// its character n-grams are shared with "earn" but also with the inform
// answers "checking" and "savings"), so it falls back. The test pins that
// down so that a change shows; docs/nlu.md explains the threshold.
func TestFinancialDemoStories(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a bot")
	}
	wrong, total := storyIntents(t, "financial-demo")
	for _, w := range wrong {
		if w != "check earnings → nlu_fallback, want check_earnings" {
			t.Errorf("wrong intent: %s", w)
		}
	}
	if total < 90 || len(wrong) != 12 {
		t.Errorf("%d of %d test story intents wrong: %q", len(wrong), total, wrong)
	}
}

// TestMoodbotStories: every user text of moodbot's test stories keeps its
// intent except "not really". The shared moodbot data has no deny example
// with "not" (Rasa's `rasa init` copy has "not really" itself), and its only
// examples with "not" are mood_unhappy ("not good", "not very good"), so
// every n-gram model tried (logistic regression on TF-IDF or counts, word
// or character n-grams alone, naive Bayes, feature dropout, any C) reads
// it as mood_unhappy. The test pins that down so that a change shows.
func TestMoodbotStories(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a bot")
	}
	wrong, total := storyIntents(t, "moodbot")
	want := "not really → mood_unhappy, want deny"
	if total < 10 || len(wrong) != 1 || wrong[0] != want {
		t.Errorf("%d of %d test story intents wrong: %q", len(wrong), total, wrong)
	}
}
