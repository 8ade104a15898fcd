package project

import (
	"testing"
)

const validateDomain = `version: "3.1"
intents: [greet, inform, faq, unused_intent]
entities: [city]
slots:
  city:
    type: text
    mappings: [{type: from_entity, entity: town}]
responses:
  utter_greet:
  - text: hi
  utter_unused:
  - text: nobody says this
  utter_ask_city:
  - text: which city?
  utter_faq/hours:
  - text: nine to five
  utter_default:
  - text: sorry
  utter_cond:
  - text: x
    condition: [{type: slot, name: mood, value: good}]
actions: [action_custom]
forms:
  trip_form:
    required_slots: [city, date]
`

const validateNLU = `nlu:
- intent: greet
  examples: |
    - hello [Paris](destination)
- intent: inform
  examples: |
    - to [Rome](city)
- intent: faq/hours
  examples: |
    - when do you open
- intent: ghost
  examples: |
    - boo
`

const validateStories = `stories:
- story: s
  steps:
  - checkpoint: nowhere
  - intent: greet
  - action: utter_greet
  - intent: unknown_intent
  - action: utter_missing
  - action: action_missing
  - action: utter_faq
  - action: utter_cond
  - slot_was_set:
    - unknown_slot: 1
    - requested_slot: city
  - active_loop: ghost_form
  - active_loop: trip_form
  - action: action_custom
  - action: action_listen
  - checkpoint: dangling
`

func TestValidate(t *testing.T) {
	p := loadFiles(t, map[string]string{"domain.yml": validateDomain,
		"data/nlu.yml": validateNLU, "data/stories.yml": validateStories,
		"tests/test_x.yml": "stories:\n- story: t\n  steps:\n  - intent: not_in_domain\n"})
	if err := p.Diagnostics.Err(); err != nil {
		t.Fatal(err)
	}
	got := Validate(p)
	want := []struct {
		pos   string
		sev   Severity
		words []string
	}{
		{"data/stories.yml:7:5", Error, []string{`intent "unknown_intent"`, "a story"}},
		{"data/stories.yml:8:5", Error, []string{`action "utter_missing"`, "add a response"}},
		{"data/stories.yml:9:5", Error, []string{`action "action_missing"`, "under actions:"}},
		{"data/stories.yml:12:5", Error, []string{`slot "unknown_slot"`}},
		{"data/stories.yml:15:5", Error, []string{`form "ghost_form"`}},
		{"tests/test_x.yml:4:5", Warning, []string{`intent "not_in_domain"`, "a test story"}},
		{"data/nlu.yml:4:7", Warning, []string{`entity "destination"`}},
		{"data/nlu.yml:13:7", Warning, []string{`intent "ghost" has examples`}},
		{"domain.yml:11:3", Warning, []string{`response "utter_unused" is not used`}},
		{"domain.yml:2:31", Warning, []string{`intent "unused_intent" has no training`}},
		{"domain.yml:24:3", Error, []string{`form "trip_form" requires slot "date"`}},
		{"domain.yml:5:3", Warning, []string{`maps from entity "town"`}},
		{"domain.yml:19:3", Warning, []string{`condition on slot "mood"`}},
		{"data/stories.yml:4:5", Warning, []string{`checkpoint "nowhere" starts`}},
		{"data/stories.yml:19:5", Warning, []string{`checkpoint "dangling" ends`}},
	}
	for _, w := range want {
		d, ok := findDiag(got, w.words...)
		if !ok {
			t.Errorf("no diagnostic with %q", w.words)
			continue
		}
		if d.Pos.String() != w.pos || d.Severity != w.sev {
			t.Errorf("got %s, want %s %v", d, w.pos, w.sev)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d diagnostics, want %d:\n%v", len(got), len(want), got)
	}
}

// TestValidateLoopConditions: a slot mapping conditioned on a loop the
// domain lacks is an error at the condition; a form or a loop action of the
// domain is fine.
func TestValidateLoopConditions(t *testing.T) {
	p := loadFiles(t, map[string]string{"domain.yml": `version: "3.1"
slots:
  name:
    type: text
    mappings:
    - type: from_text
      conditions:
      - active_loop: ghost_form
      - active_loop: name_form
      - active_loop: action_my_loop
actions: [action_my_loop]
forms:
  name_form:
    required_slots: [name]
`})
	got := Validate(p)
	d, ok := findDiag(got, `active loop "ghost_form"`)
	if !ok || d.Pos.String() != "domain.yml:8:22" || d.Severity != Error {
		t.Fatalf("want an error at domain.yml:8:22; got %v", got)
	}
	for _, name := range []string{"name_form", "action_my_loop"} {
		if _, bad := findDiag(got, `active loop "`+name+`"`); bad {
			t.Errorf("%s is in the domain but was reported: %v", name, got)
		}
	}
}
