package policy

import (
	"context"
	"testing"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/testenv"
	"github.com/parley-chat/parley/internal/tracker"
)

// loadBot loads a shared example bot.
func loadBot(t *testing.T, name string) *project.Project {
	t.Helper()
	dir := testenv.Shared(t, "data/bots/"+name)
	p, err := project.Load(dir, project.Options{})
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return p
}

// userSays appends what the agent appends for a user message.
func userSays(t *tracker.Tracker, intent string) {
	t.Update(event.Event{Type: event.User, Text: intent,
		Parse: &nlu.Parse{Intent: nlu.Intent{Name: intent, Confidence: 1}}})
}

// runTurn predicts and "runs" actions until action_listen and returns them.
func runTurn(t *testing.T, e *Ensemble, tr *tracker.Tracker) []string {
	t.Helper()
	var out []string
	for range 10 {
		p := e.Predict(tr)
		out = append(out, p.Action+"/"+p.Policy)
		tr.Update(event.Event{Type: event.Action, Name: p.Action, Policy: p.Policy,
			Confidence: event.Confidence(p.Confidence), HideRuleTurn: p.HideRuleTurn})
		if p.Action == ActionListen {
			return out
		}
	}
	t.Fatalf("no action_listen after 10 actions: %v", out)
	return nil
}

func TestMoodbotConversation(t *testing.T) {
	p := loadBot(t, "moodbot")
	e, err := Train(context.Background(), p, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tr := tracker.New("c", p.Domain)
	tr.Update(event.Event{Type: event.Action, Name: ActionSessionStart})
	tr.Update(event.Event{Type: event.SessionStarted})
	tr.Update(event.Event{Type: event.Action, Name: ActionListen})
	for _, step := range []struct {
		intent string
		want   []string
	}{
		{"greet", []string{"utter_greet", ActionListen}},
		{"mood_unhappy", []string{"utter_cheer_up", "utter_did_that_help", ActionListen}},
		{"deny", []string{"utter_goodbye", ActionListen}},
		{"bot_challenge", []string{"utter_iamabot", ActionListen}},
		{"mood_great", []string{"utter_happy", ActionListen}},
	} {
		userSays(tr, step.intent)
		got := runTurn(t, e, tr)
		for i, w := range step.want {
			if i >= len(got) || got[i][:len(w)] != w {
				t.Fatalf("after %s: got %v, want %v", step.intent, got, step.want)
			}
		}
		t.Logf("%s → %v", step.intent, got)
	}
}

// TestTrainSharedBots trains the policies of every shared example bot: real
// projects must train without contradictions or errors.
func TestTrainSharedBots(t *testing.T) {
	for _, name := range []string{"concertbot", "e2ebot", "financial-demo", "formbot",
		"knowledgebasebot", "moodbot", "reminderbot", "responseselectorbot", "rules"} {
		t.Run(name, func(t *testing.T) {
			dir := testenv.Shared(t, "data/bots/"+name)
			p, _ := project.Load(dir, project.Options{})
			if p == nil || p.Domain == nil {
				t.Skipf("%s does not load", name)
			}
			if _, err := Train(context.Background(), p, TrainOptions{}); err != nil {
				t.Fatal(err)
			}
			if ds := Contradictions(p); len(ds) > 0 {
				t.Fatalf("contradictions: %v", ds)
			}
		})
	}
}
