package pipeline

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/testenv"
)

// TestSharedMoodbot trains on the real moodbot files with their config.
func TestSharedMoodbot(t *testing.T) {
	dir := testenv.Shared(t, "data/bots/moodbot")
	td, _, err := project.LoadDataFile(filepath.Join(dir, "data", "nlu.yml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := project.LoadConfigFile(filepath.Join(dir, "config.yml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Train(context.Background(), td.NLU, cfg, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]string{"hi": "greet", "I am sad": "mood_unhappy",
		"bye": "goodbye", "are you a bot?": "bot_challenge"} {
		if p := m.Parse(text); p.Intent.Name != want {
			t.Errorf("Parse(%q) = %+v, want %s", text, p.Intent, want)
		}
	}
}
