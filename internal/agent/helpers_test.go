package agent

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/policy"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/testenv"
)

// keywordNLU is a tiny NLU for tests: the first keyword found in the text
// gives the intent; "/intent" payloads work as with Rasa.
type keywordNLU []struct{ word, intent string }

func (k keywordNLU) Parse(text string) nlu.Parse {
	if strings.HasPrefix(text, "/") {
		return ParsePayload(text)
	}
	lower := strings.ToLower(text)
	for _, kw := range k {
		if strings.Contains(lower, kw.word) {
			in := nlu.Intent{Name: kw.intent, Confidence: 0.9}
			return nlu.Parse{Text: text, Intent: in, IntentRanking: []nlu.Intent{in}}
		}
	}
	return nlu.Parse{Text: text}
}

var moodNLU = keywordNLU{
	{"hello", "greet"}, {"hi", "greet"}, {"sad", "mood_unhappy"}, {"not good", "mood_unhappy"},
	{"great", "mood_great"}, {"amazing", "mood_great"}, {"yes", "affirm"}, {"no", "deny"},
	{"bye", "goodbye"}, {"bot", "bot_challenge"},
}

func intentStep(name string) project.Step {
	return project.Step{Kind: project.StepIntent, Intent: name}
}
func actionStep(name string) project.Step {
	return project.Step{Kind: project.StepAction, Action: name}
}

func text(s string) []domain.Response { return []domain.Response{{Text: s}} }

// moodbot is Rasa's moodbot written in Go.
func moodbot() *project.Project {
	d := &domain.Domain{
		Session: domain.SessionConfig{ExpirationMinutes: 60, CarryOverSlots: true},
		Responses: map[string][]domain.Response{
			"utter_greet": {{Text: "Hey! How are you?", Buttons: []domain.Button{
				{Title: "great", Payload: "/mood_great"}, {Title: "super sad", Payload: "/mood_unhappy"}}}},
			"utter_cheer_up":      {{Text: "Here is something to cheer you up:", Image: "https://i.imgur.com/x.jpeg"}},
			"utter_did_that_help": text("Did that help you?"),
			"utter_happy":         text("Great, carry on!"),
			"utter_goodbye":       text("Bye"),
			"utter_iamabot":       text("I am a bot, powered by Rasa."),
		},
		StoreEntitiesAsSlots: true,
	}
	for _, in := range []string{"greet", "goodbye", "affirm", "deny", "mood_great", "mood_unhappy",
		"bot_challenge", "restart", "back", "out_of_scope", "session_start", "nlu_fallback"} {
		d.Intents = append(d.Intents, domain.Intent{Name: in, UseAllEntities: true})
	}
	rule := func(name string, steps ...project.Step) project.Story {
		return project.Story{Name: name, Kind: project.KindRule, WaitForUserInput: true, Steps: steps}
	}
	unhappy := rule("mood_unhappy helped", intentStep("mood_unhappy"),
		actionStep("utter_cheer_up"), actionStep("utter_did_that_help"))
	unhappy.WaitForUserInput = false
	story := func(name string, steps ...project.Step) project.Story {
		return project.Story{Name: name, Kind: project.KindStory, Steps: steps}
	}
	return &project.Project{Domain: d,
		Rules: []project.Story{
			rule("greet", intentStep("greet"), actionStep("utter_greet")),
			rule("goodbye", intentStep("goodbye"), actionStep("utter_goodbye")),
			rule("bot", intentStep("bot_challenge"), actionStep("utter_iamabot")),
			rule("mood_great", intentStep("mood_great"), actionStep("utter_happy")),
			unhappy,
			rule("helped", actionStep("utter_did_that_help"), intentStep("affirm"), actionStep("utter_happy")),
			rule("didn't help", actionStep("utter_did_that_help"), intentStep("deny"), actionStep("utter_goodbye")),
		},
		Stories: []project.Story{
			story("happy path", intentStep("greet"), actionStep("utter_greet"),
				intentStep("mood_great"), actionStep("utter_happy")),
			story("sad path 1", intentStep("greet"), actionStep("utter_greet"),
				intentStep("mood_unhappy"), actionStep("utter_cheer_up"), actionStep("utter_did_that_help"),
				intentStep("affirm"), actionStep("utter_happy")),
		},
		Config: project.Config{Policies: []project.Component{{Name: "MemoizationPolicy"}, {Name: "RulePolicy"}}},
	}
}

func train(t *testing.T, p *project.Project) *policy.Ensemble {
	t.Helper()
	e, err := policy.Train(context.Background(), p, policy.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// fakeClock is a settable clock.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time          { return c.now }
func (c *fakeClock) Advance(d time.Duration) { c.now = c.now.Add(d) }

// say sends one message and returns the texts of the bot's replies.
func say(t *testing.T, a *Agent, id, msg string) []string {
	t.Helper()
	evs, err := a.HandleMessage(context.Background(), UserMessage{ConversationID: id, Text: msg,
		InputChannel: "rest"})
	if err != nil {
		t.Fatalf("%q: %v", msg, err)
	}
	var out []string
	for _, e := range evs {
		out = append(out, e.Text)
	}
	return out
}

// actions lists the actions logged in events (without action_listen when
// listen is false).
func actions(events []event.Event) []string {
	var out []string
	for _, e := range events {
		if e.Type == event.Action {
			out = append(out, e.Name)
		}
	}
	return out
}

// loadProject writes files (path to content) into a new folder and loads
// it as a project.
func loadProject(t *testing.T, files map[string]string) *project.Project {
	t.Helper()
	p, err := project.Load(testenv.WriteFiles(t, files), project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}
