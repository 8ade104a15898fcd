package policy

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/tracker"
)

func intent(name string) project.Step { return project.Step{Kind: project.StepIntent, Intent: name} }
func act(name string) project.Step    { return project.Step{Kind: project.StepAction, Action: name} }
func loop(name string) project.Step {
	return project.Step{Kind: project.StepActiveLoop, ActiveLoop: name}
}
func slotWas(name string, v any) project.Step {
	return project.Step{Kind: project.StepSlotWasSet,
		Slots: []project.SlotValue{{Name: name, Value: v, HasValue: true}}}
}

func rule(name string, steps ...project.Step) project.Story {
	return project.Story{Name: name, Kind: project.KindRule, WaitForUserInput: true, Steps: steps,
		Pos: project.Pos{File: "data/rules.yml", Line: 1}}
}

func story(name string, steps ...project.Step) project.Story {
	return project.Story{Name: name, Kind: project.KindStory, Steps: steps}
}

func testProject(rules, stories []project.Story, policies ...string) *project.Project {
	d := &domain.Domain{StoreEntitiesAsSlots: true,
		Slots: []domain.Slot{{Name: "vip", Type: domain.SlotBool, InfluenceConversation: true}},
		Forms: []domain.Form{{Name: "pay_form", RequiredSlots: []string{"amount"}}}}
	for _, in := range []string{"greet", "ask", "thanks", "pay", "chitchat", "restart", "inform"} {
		d.Intents = append(d.Intents, domain.Intent{Name: in, UseAllEntities: true})
	}
	var comps []project.Component
	for _, p := range policies {
		comps = append(comps, project.Component{Name: p})
	}
	return &project.Project{Domain: d, Rules: rules, Stories: stories,
		Config: project.Config{Policies: comps}}
}

func mustTrain(t *testing.T, p *project.Project) *Ensemble {
	t.Helper()
	e, err := Train(context.Background(), p, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// started returns a tracker right after a session start.
func started(d *domain.Domain) *tracker.Tracker {
	return tracker.FromEvents("t", d, []event.Event{
		{Type: event.Action, Name: ActionSessionStart}, {Type: event.SessionStarted},
		{Type: event.Action, Name: ActionListen}})
}

func TestRuleConditions(t *testing.T) {
	p := testProject([]project.Story{
		{Name: "vip greet", Kind: project.KindRule, WaitForUserInput: true,
			Condition: []project.Step{slotWas("vip", true)},
			Steps:     []project.Step{intent("greet"), act("utter_vip")}},
		rule("greet", intent("greet"), act("utter_greet")),
		{Name: "no loop", Kind: project.KindRule, WaitForUserInput: true,
			Condition: []project.Step{loop("")},
			Steps:     []project.Step{intent("pay"), act("pay_form"), loop("pay_form")}},
	}, nil, "RulePolicy")
	e := mustTrain(t, p)
	for _, c := range []struct {
		name string
		pre  []event.Event
		want string
	}{
		{"plain", nil, "utter_greet"},
		{"vip set", []event.Event{{Type: event.Slot, Name: "vip", Value: true}}, "utter_vip"},
		{"vip false", []event.Event{{Type: event.Slot, Name: "vip", Value: false}}, "utter_greet"},
	} {
		tr := started(p.Domain)
		tr.UpdateAll(c.pre)
		userSays(tr, "greet")
		if got := e.Predict(tr); got.Action != c.want || got.Policy != "RulePolicy" || got.Confidence != 1 {
			t.Errorf("%s: %+v, want %s", c.name, got, c.want)
		}
	}
	// active_loop: null condition: the rule does not apply inside a loop.
	tr := started(p.Domain)
	tr.UpdateAll([]event.Event{{Type: event.Action, Name: "other_form"},
		{Type: event.ActiveLoop, Name: "other_form"}, {Type: event.ActionRejected, Name: "other_form"}})
	userSays(tr, "pay")
	if got := e.Predict(tr); got.Action == "pay_form" {
		t.Errorf("rule with active_loop: null applied inside a loop: %+v", got)
	}
}

func TestConversationStart(t *testing.T) {
	welcome := rule("welcome", intent("greet"), act("utter_welcome"))
	welcome.ConversationStart = true
	// A second rule for greet would contradict this one at the start of a
	// conversation, as in Rasa.
	p := testProject([]project.Story{welcome}, nil, "RulePolicy")
	e := mustTrain(t, p)
	tr := started(p.Domain)
	userSays(tr, "greet")
	if got := e.Predict(tr).Action; got != "utter_welcome" {
		t.Fatalf("first greet: %s", got)
	}
	tr.Update(event.Event{Type: event.Action, Name: "utter_welcome"})
	tr.Update(event.Event{Type: event.Action, Name: ActionListen})
	userSays(tr, "greet")
	if got := e.Predict(tr).Action; got != ActionDefaultFallbck {
		t.Fatalf("later greet: %s", got)
	}
}

func TestWaitForUserInputFalse(t *testing.T) {
	chain := rule("ask", intent("ask"), act("utter_answer"))
	chain.WaitForUserInput = false
	listen := rule("listen", intent("greet"), act("utter_greet"))
	p := testProject([]project.Story{chain, listen,
		rule("follow", act("utter_answer"), act("utter_anything_else"))}, nil, "RulePolicy")
	e := mustTrain(t, p)
	tr := started(p.Domain)
	userSays(tr, "ask")
	got := runTurn(t, e, tr)
	want := []string{"utter_answer/RulePolicy", "utter_anything_else/RulePolicy", "action_listen/RulePolicy"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestDefaultRulesAndFallback(t *testing.T) {
	p := testProject([]project.Story{rule("greet", intent("greet"), act("utter_greet"))}, nil, "RulePolicy")
	p.Config.Policies[0].Options = map[string]any{"core_fallback_threshold": 0.4,
		"core_fallback_action_name": "action_my_fallback"}
	e := mustTrain(t, p)
	tr := started(p.Domain)
	userSays(tr, "restart")
	if got := e.Predict(tr); got.Action != ActionRestart {
		t.Fatalf("/restart: %+v", got)
	}
	tr = started(p.Domain)
	userSays(tr, "thanks")
	if got := e.Predict(tr); got.Action != "action_my_fallback" || got.Confidence != 0.4 {
		t.Fatalf("unknown turn: %+v", got)
	}
}

func TestMemoization(t *testing.T) {
	stories := []project.Story{
		story("a", intent("greet"), act("utter_greet"), intent("ask"), act("utter_a")),
		story("b", intent("thanks"), act("utter_b"), intent("ask"), act("utter_b2")),
		story("c1", intent("chitchat"), act("utter_c1")),
		story("c2", intent("chitchat"), act("utter_c2")),
	}
	p := testProject(nil, stories, "MemoizationPolicy")
	e := mustTrain(t, p)
	tr := started(p.Domain)
	userSays(tr, "greet")
	if got := e.Predict(tr); got.Action != "utter_greet" || got.Policy != "MemoizationPolicy" ||
		got.Confidence != 1 {
		t.Fatalf("greet: %+v", got)
	}
	tr.Update(event.Event{Type: event.Action, Name: "utter_greet"})
	tr.Update(event.Event{Type: event.Action, Name: ActionListen})
	userSays(tr, "ask")
	if got := e.Predict(tr).Action; got != "utter_a" {
		t.Fatalf("ask after greet: %s", got)
	}
	tr = started(p.Domain)
	userSays(tr, "chitchat")
	if got := e.Predict(tr); got.Confidence != 0 {
		t.Fatalf("ambiguous story start must be forgotten: %+v", got)
	}
}

func TestAugmentedMemoizationForgetsOldTurns(t *testing.T) {
	stories := []project.Story{
		story("ok", act("utter_help"), intent("thanks"), act("utter_ok")),
		story("greet", intent("greet"), act("utter_help")),
	}
	for _, c := range []struct {
		policy string
		want   float64
	}{{"MemoizationPolicy", 0}, {"AugmentedMemoizationPolicy", 1}} {
		p := testProject(nil, stories, c.policy)
		e := mustTrain(t, p)
		tr := started(p.Domain)
		userSays(tr, "greet")
		tr.Update(event.Event{Type: event.Action, Name: "utter_help"})
		tr.Update(event.Event{Type: event.Action, Name: ActionListen})
		userSays(tr, "thanks")
		got := e.Predict(tr)
		if got.Confidence != c.want || c.want == 1 && got.Action != "utter_ok" {
			t.Errorf("%s: %+v", c.policy, got)
		}
	}
}

func TestPriorityTieGoesToRules(t *testing.T) {
	p := testProject([]project.Story{rule("greet", intent("greet"), act("utter_greet"))},
		[]project.Story{story("s", intent("greet"), act("utter_greet"))}, "MemoizationPolicy", "RulePolicy")
	e := mustTrain(t, p)
	tr := started(p.Domain)
	userSays(tr, "greet")
	if got := e.Predict(tr); got.Policy != "RulePolicy" {
		t.Fatalf("tie went to %s", got.Policy)
	}
}

func TestContradiction(t *testing.T) {
	r := rule("greet", intent("greet"), act("utter_greet"))
	s := story("other greeting", intent("greet"), act("utter_hello"))
	s.Steps[1].Pos = project.Pos{File: "data/stories.yml", Line: 7, Column: 5}
	p := testProject([]project.Story{r}, []project.Story{s}, "RulePolicy", "MemoizationPolicy")
	_, err := Train(context.Background(), p, TrainOptions{})
	if !errors.Is(err, ErrContradiction) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"data/stories.yml:7:5", "'utter_hello'", "story 'other greeting'",
		"rule(s) 'greet'", "predicted action 'utter_greet'"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	ds := Contradictions(p)
	if len(ds) != 1 || ds[0].Pos.Line != 7 || ds[0].Severity != project.Error {
		t.Fatalf("Contradictions = %v", ds)
	}
	if !strings.Contains(err.Error(), ds[0].String()) {
		t.Errorf("validate and train word the contradiction differently:\n%s\n%v", ds[0], err)
	}
}

func TestWriteToIsDeterministic(t *testing.T) {
	p := testProject([]project.Story{rule("greet", intent("greet"), act("utter_greet")),
		rule("ask", intent("ask"), act("utter_answer"))},
		[]project.Story{story("a", intent("greet"), act("utter_greet"), intent("thanks"), act("utter_ok")),
			story("b", intent("ask"), act("utter_answer"), intent("thanks"), act("utter_bye"))},
		"MemoizationPolicy", "RulePolicy", "TEDPolicy")
	var first []byte
	for i := range 3 {
		e := mustTrain(t, p)
		var b bytes.Buffer
		if _, err := e.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b.Bytes()
		} else if !bytes.Equal(first, b.Bytes()) {
			t.Fatal("two trainings wrote different bytes")
		}
	}
	loaded, err := Read(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	_, _ = loaded.WriteTo(&again)
	if !bytes.Equal(first, again.Bytes()) {
		t.Fatal("write → read → write changed the bytes")
	}
	tr := started(p.Domain)
	userSays(tr, "ask")
	tr.Update(event.Event{Type: event.Action, Name: "utter_answer"})
	tr.Update(event.Event{Type: event.Action, Name: ActionListen})
	userSays(tr, "thanks")
	if got := loaded.Predict(tr).Action; got != "utter_bye" {
		t.Fatalf("loaded ensemble predicts %s", got)
	}
	if _, err := Read(strings.NewReader(`{"format":99}`)); !errors.Is(err, ErrModel) {
		t.Fatalf("wrong format: %v", err)
	}
}
