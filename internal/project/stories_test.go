package project

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const richStories = `version: "3.1"
stories:
- story: everything
  metadata: {author: me}
  steps:
  - checkpoint: start_here
  - intent: inform
    entities:
    - name
    - city: Berlin
    - count: 3
      role: adults
    - entity: city
      value: Paris
      group: "2"
  - user: "I am [Ann](name)!"
  - intent: greet
    user: |
      hello [Bob]{"entity": "name", "role": "friend"}
  - or:
    - intent: affirm
    - intent: thanks
  - slot_was_set:
    - name
    - venues: [{name: Arena, reviews: 4.5}]
    - likes_music: false
  - action: "form: some_form"
  - active_loop: some_form
  - active_loop: null
  - bot: Welcome!
  - checkpoint: end_here
    slot_was_set:
    - name: Ann
rules:
- rule: guarded
  condition:
  - active_loop: some_form
  - slot_was_set:
    - requested_slot: name
  conversation_start: true
  wait_for_user_input: false
  steps:
  - intent: inform
  - action: some_form
`

func TestStoriesAndRules(t *testing.T) {
	var diags Diagnostics
	td := readDataBytes(newSource("data/stories.yml", []byte(richStories), &diags),
		[]byte(richStories))
	if _, ok := findDiag(diags, `"form: " prefix`); !ok || len(diags) != 1 {
		t.Errorf("want exactly the form prefix migration warning, got %v", diags)
	}
	if len(td.Stories) != 1 || len(td.Rules) != 1 {
		t.Fatalf("stories %d rules %d", len(td.Stories), len(td.Rules))
	}
	st := td.Stories[0]
	want := []Step{
		{Kind: StepCheckpoint, Checkpoint: "start_here"},
		{Kind: StepIntent, Intent: "inform", Entities: []StepEntity{
			{Entity: "name"},
			{Entity: "city", Value: "Berlin", HasValue: true},
			{Entity: "count", Value: 3, HasValue: true, Role: "adults"},
			{Entity: "city", Value: "Paris", HasValue: true, Group: "2"}}},
		{Kind: StepIntent, UserText: "I am Ann!", UserEntities: []EntityAnnotation{
			{Start: 5, End: 8, Entity: "name", Value: "Ann"}}},
		{Kind: StepIntent, Intent: "greet", UserText: "hello Bob", UserEntities: []EntityAnnotation{
			{Start: 6, End: 9, Entity: "name", Value: "Bob", Role: "friend"}}},
		{Kind: StepOr, Or: []Step{{Kind: StepIntent, Intent: "affirm"},
			{Kind: StepIntent, Intent: "thanks"}}},
		{Kind: StepSlotWasSet, Slots: []SlotValue{{Name: "name"},
			{Name: "venues", HasValue: true, Value: []any{map[string]any{"name": "Arena",
				"reviews": 4.5}}},
			{Name: "likes_music", HasValue: true, Value: false}}},
		{Kind: StepAction, Action: "some_form"},
		{Kind: StepActiveLoop, ActiveLoop: "some_form"},
		{Kind: StepActiveLoop},
		{Kind: StepBot, BotText: "Welcome!"},
		{Kind: StepCheckpoint, Checkpoint: "end_here", Slots: []SlotValue{
			{Name: "name", Value: "Ann", HasValue: true}}},
	}
	ignorePos := cmpopts.IgnoreFields(Step{}, "Pos")
	if diff := cmp.Diff(want, st.Steps, ignorePos); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	if st.Metadata["author"] != "me" || st.Pos.Line != 3 || !st.WaitForUserInput {
		t.Errorf("story fields: %+v", st)
	}
	r := td.Rules[0]
	if !r.ConversationStart || r.WaitForUserInput || len(r.Condition) != 2 ||
		r.Condition[1].Slots[0].Value != "name" || r.Kind != KindRule {
		t.Errorf("rule fields: %+v", r)
	}
}

func TestTestFilesInData(t *testing.T) {
	p := loadFiles(t, map[string]string{
		"data/stories.yml":         "stories:\n- story: a\n  steps:\n  - intent: greet\n",
		"data/more/test_flows.yml": "stories:\n- story: t\n  steps:\n  - intent: greet\n",
		"tests/test_stories.yml":   "stories:\n- story: u\n  steps:\n  - user: hi\n    intent: greet\n",
		"tests/notes.yml":          "this is not read",
	})
	if len(p.Stories) != 1 || len(p.TestStories) != 2 {
		t.Fatalf("stories %d, test stories %d", len(p.Stories), len(p.TestStories))
	}
	for _, st := range p.TestStories {
		if st.Kind != KindTest {
			t.Errorf("test story %q has kind %v", st.Name, st.Kind)
		}
	}
	want := []string{"config.yml", "data/more/test_flows.yml", "data/stories.yml", "domain.yml",
		"tests/test_stories.yml"}
	if diff := cmp.Diff(want, p.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestLegacyTwoStageFallbackName(t *testing.T) {
	const rules = `rules:
- rule: fallback
  steps:
  - intent: nlu_fallback
  - action: two_stage_fallback
  - active_loop: two_stage_fallback
`
	var diags Diagnostics
	td := readDataBytes(newSource("data/rules.yml", []byte(rules), &diags), []byte(rules))
	d, ok := findDiag(diags, "two_stage_fallback")
	if !ok || len(diags) != 1 || d.Pos.Line != 5 {
		t.Errorf("want one migration warning at line 5, got %v", diags)
	}
	if len(td.Rules) != 1 {
		t.Fatalf("rules: %d", len(td.Rules))
	}
	steps := td.Rules[0].Steps
	if steps[1].Action != "action_two_stage_fallback" ||
		steps[2].ActiveLoop != "action_two_stage_fallback" {
		t.Errorf("steps: %+v", steps)
	}
}
