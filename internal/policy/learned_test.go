package policy

import (
	"bytes"
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/tracker"
)

// learnedStories answer each intent the same way whatever came before;
// a greeting is followed by a question or thanks, never by chitchat.
func learnedStories() []project.Story {
	return []project.Story{
		story("greet ask", intent("greet"), act("utter_greet"), intent("ask"),
			act("utter_answer"), intent("thanks"), act("utter_welcome")),
		story("greet thanks", intent("greet"), act("utter_greet"), intent("thanks"),
			act("utter_welcome")),
		story("ask chitchat", intent("ask"), act("utter_answer"), intent("chitchat"),
			act("utter_chitchat")),
		story("pay thanks", intent("pay"), act("utter_pay"), intent("thanks"),
			act("utter_welcome")),
		story("chitchat first", intent("chitchat"), act("utter_chitchat"), intent("ask"),
			act("utter_answer")),
	}
}

// afterGreetChitchat is a conversation no story spells out: a greeting,
// then chitchat.
func afterGreetChitchat(p *project.Project) *tracker.Tracker {
	tr := started(p.Domain)
	userSays(tr, "greet")
	tr.Update(event.Event{Type: event.Action, Name: "utter_greet"})
	tr.Update(event.Event{Type: event.Action, Name: ActionListen})
	userSays(tr, "chitchat")
	return tr
}

func TestLearnedGeneralisesWhereMemoizationCannot(t *testing.T) {
	memo := mustTrain(t, testProject(nil, learnedStories(), "MemoizationPolicy"))
	p := testProject(nil, learnedStories(), "TEDPolicy")
	learned := mustTrain(t, p)
	tr := afterGreetChitchat(p)
	if got := memo.Predict(tr); got.Confidence != 0 {
		t.Fatalf("memoization knows the unseen path (%+v); the test shows nothing", got)
	}
	got := learned.Predict(tr)
	if got.Action != "utter_chitchat" || got.Policy != learnedName {
		t.Fatalf("learned policy predicts %+v, want utter_chitchat from %s", got, learnedName)
	}
	tr.Update(event.Event{Type: event.Action, Name: "utter_chitchat"})
	if got := learned.Predict(tr).Action; got != ActionListen {
		t.Fatalf("after utter_chitchat the learned policy predicts %s, want to listen", got)
	}
}

func TestLearnedUsesRulesAnywhere(t *testing.T) {
	// No story shows inform; the rule says what to do after it in any
	// conversation.
	rules := []project.Story{rule("inform", intent("inform"), act("utter_noted"))}
	p := testProject(rules, learnedStories(), "TEDPolicy")
	e := mustTrain(t, p)
	tr := started(p.Domain)
	userSays(tr, "ask")
	tr.Update(event.Event{Type: event.Action, Name: "utter_answer"})
	tr.Update(event.Event{Type: event.Action, Name: ActionListen})
	userSays(tr, "inform")
	if got := e.Predict(tr).Action; got != "utter_noted" {
		t.Fatalf("learned policy predicts %s after inform, want utter_noted", got)
	}
}

func TestLearnedEndToEndText(t *testing.T) {
	user := func(text string) project.Step {
		return project.Step{Kind: project.StepIntent, UserText: text}
	}
	bot := func(text string) project.Step {
		return project.Step{Kind: project.StepBot, BotText: text}
	}
	p := testProject(nil, []project.Story{
		story("hello", user("hello there"), bot("Hi!")),
		story("time", user("what time is it"), bot("It is noon.")),
		story("both", user("what time is it now"), bot("It is noon."), user("hello"), bot("Hi!")),
	}, "TEDPolicy")
	e := mustTrain(t, p)
	tr := started(p.Domain)
	tr.Update(event.Event{Type: event.User, Text: "hello friend", Parse: &nlu.Parse{}})
	if got := e.Predict(tr).Action; got != "Hi!" {
		t.Fatalf("learned policy answers %q to an unseen greeting, want %q", got, "Hi!")
	}
}

func TestLearnedIsDeterministicAndSeeded(t *testing.T) {
	write := func(seed any) []byte {
		p := testProject(nil, learnedStories())
		p.Config.Policies = []project.Component{{Name: "TEDPolicy",
			Options: map[string]any{"random_seed": seed}}}
		var b bytes.Buffer
		if _, err := mustTrain(t, p).WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b, c := write(7), write(7), write(8)
	if !bytes.Equal(a, b) {
		t.Fatal("two trainings with random_seed 7 wrote different models")
	}
	if bytes.Equal(a, c) {
		t.Fatal("random_seed 7 and 8 trained the same weights")
	}
}

func TestLearnedSaveLoadPredictsTheSame(t *testing.T) {
	p := testProject(nil, learnedStories(), "TEDPolicy")
	e := mustTrain(t, p)
	var b bytes.Buffer
	if _, err := e.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	loaded, err := Read(&b)
	if err != nil {
		t.Fatal(err)
	}
	tr := afterGreetChitchat(p)
	want := e.learned.predict(tr.PastStates(tracker.StateOptions{})).scores
	got := loaded.learned.predict(tr.PastStates(tracker.StateOptions{})).scores
	if len(want) < 2 || !maps.Equal(want, got) {
		t.Fatalf("scores before saving %v, after loading %v", want, got)
	}
}

func TestLearnedOptions(t *testing.T) {
	p := testProject(nil, learnedStories())
	p.Config.Policies = []project.Component{{Name: "TEDPolicy", Options: map[string]any{
		"max_history": 2, "epochs": 1, "constrain_similarities": true, "batch_size": 8}}}
	var warnings []string
	e, err := Train(t.Context(), p, TrainOptions{Warn: func(d project.Diagnostic) {
		warnings = append(warnings, d.Message)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "batch_size, constrain_similarities") {
		t.Fatalf("warnings %q, want one naming batch_size and constrain_similarities", warnings)
	}
	l := e.learned
	if l.MaxHistory != 2 || l.TrainedEpochs < minEpochs {
		t.Fatalf("max_history %d (want 2), %d passes (want at least %d)", l.MaxHistory,
			l.TrainedEpochs, minEpochs)
	}
	for _, f := range l.Features {
		if strings.HasPrefix(f, "2:") {
			t.Fatalf("feature %q is older than max_history 2", f)
		}
	}
}

func TestLearnedRejectsBrokenModel(t *testing.T) {
	for _, body := range []string{
		`{"features":["a"],"actions":["x","y"],"net":{"in":2,"hidden":1,"out":2,` +
			`"w1":"AAAAAAAAAAA=","b1":"AAAAAA==","w2":"AAAAAAAAAAA=","b2":"AAAAAAAAAAA="}}`,
		`{"features":["a"],"actions":["x","y"],"net":{"in":1,"hidden":1,"out":2,` +
			`"w1":"AAAA","b1":"AAAAAA==","w2":"AAAAAAAAAAA=","b2":"AAAAAAAAAAA="}}`,
	} {
		saved := `{"format":2,"policies":["TEDPolicy"],"learned":` + body + `}`
		if _, err := Read(strings.NewReader(saved)); !errors.Is(err, ErrModel) {
			t.Errorf("Read(%s) = %v, want ErrModel", body, err)
		}
	}
}
