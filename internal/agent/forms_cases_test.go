package agent

import (
	"context"
	"slices"
	"testing"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
)

// travelDomain has a trip form whose slots are filled by city entities
// with roles (a bare city fills the slot asked for) and a feedback form of
// two free-text slots, each mapped under the condition that it is asked.
const travelDomain = `version: "3.1"
intents: [book_trip, inform, give_feedback, chat]
entities:
  - city:
      roles: [from, to]
slots:
  origin:
    type: text
    mappings:
      - {type: from_entity, entity: city, role: from}
      - {type: from_entity, entity: city}
  destination:
    type: text
    mappings:
      - {type: from_entity, entity: city, role: to}
      - {type: from_entity, entity: city}
  fb_name:
    type: text
    mappings:
      - type: from_text
        conditions: [{active_loop: feedback_form, requested_slot: fb_name}]
  fb_comment:
    type: text
    mappings:
      - type: from_text
        conditions: [{active_loop: feedback_form, requested_slot: fb_comment}]
forms:
  trip_form:
    required_slots: [origin, destination]
  feedback_form:
    required_slots: [fb_name, fb_comment]
responses:
  utter_ask_origin: [{text: "Where from?"}]
  utter_ask_destination: [{text: "Where to?"}]
  utter_trip: [{text: "Trip from {origin} to {destination}."}]
  utter_ask_fb_name: [{text: "Your name?"}]
  utter_ask_fb_comment: [{text: "Your comment?"}]
  utter_feedback: [{text: "Thanks {fb_name}."}]
`

const travelRules = `version: "3.1"
rules:
- rule: activate trip
  steps: [{intent: book_trip}, {action: trip_form}, {active_loop: trip_form}]
- rule: submit trip
  condition: [{active_loop: trip_form}]
  steps: [{action: trip_form}, {active_loop: null}, {action: utter_trip}]
- rule: activate feedback
  steps: [{intent: give_feedback}, {action: feedback_form}, {active_loop: feedback_form}]
- rule: submit feedback
  condition: [{active_loop: feedback_form}]
  steps: [{action: feedback_form}, {active_loop: null}, {action: utter_feedback}]
`

// travelNLU gives each test message its parse.
var travelNLU = tableNLU{
	"book a trip":   {intent: "book_trip"},
	"give feedback": {intent: "give_feedback"},
	"Ann":           {intent: "inform"},
	"great service": {intent: "chat"},
	"Madrid":        {intent: "inform", entities: []nlu.Entity{{Entity: "city", Value: "Madrid"}}},
	"Lisbon":        {intent: "inform", entities: []nlu.Entity{{Entity: "city", Value: "Lisbon"}}},
	"from Berlin to Rome": {intent: "book_trip", entities: []nlu.Entity{
		{Entity: "city", Role: "from", Value: "Berlin"}, {Entity: "city", Role: "to", Value: "Rome"}}},
}

// tableNLU parses each known text as its entry says; others have no intent.
type tableNLU map[string]struct {
	intent   string
	entities []nlu.Entity
}

func (n tableNLU) Parse(text string) nlu.Parse {
	e, ok := n[text]
	if !ok {
		return nlu.Parse{Text: text}
	}
	in := nlu.Intent{Name: e.intent, Confidence: 1}
	return nlu.Parse{Text: text, Intent: in, IntentRanking: []nlu.Intent{in},
		Entities: e.entities}
}

// travelAgent loads the travel project with extra domain text and the
// given action runner.
func travelAgent(t *testing.T, extraDomain string, runner action.Runner) *Agent {
	t.Helper()
	p := loadProject(t, map[string]string{"domain.yml": travelDomain + extraDomain,
		"data/rules.yml": travelRules,
		"config.yml":     "policies:\n- name: RulePolicy\n- name: MemoizationPolicy\n"})
	return New(Options{Domain: p.Domain, Policies: train(t, p), Parser: travelNLU,
		Runner: runner})
}

// slotsOf returns the conversation's slots that are set.
func slotsOf(t *testing.T, a *Agent, id string) map[string]any {
	t.Helper()
	tr, err := a.Tracker(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	for _, name := range []string{"origin", "destination", "fb_name", "fb_comment"} {
		if v := tr.Slot(name); v != nil {
			out[name] = v
		}
	}
	return out
}

func wantSay(t *testing.T, a *Agent, id, msg string, want ...string) {
	t.Helper()
	if got := say(t, a, id, msg); !slices.Equal(got, want) {
		t.Errorf("%s: %q answered %q, want %q", id, msg, got, want)
	}
}

// TestFreeTextSlotsFillOnlyTheRequestedOne: a form with two from_text
// slots, each conditioned on being requested, fills only the one it asked
// for with each answer.
func TestFreeTextSlotsFillOnlyTheRequestedOne(t *testing.T) {
	a := travelAgent(t, "", nil)
	wantSay(t, a, "f", "give feedback", "Your name?")
	wantSay(t, a, "f", "Ann", "Your comment?")
	if got := slotsOf(t, a, "f"); len(got) != 1 || got["fb_name"] != "Ann" {
		t.Errorf("after the name: slots %v, want fb_name alone", got)
	}
	wantSay(t, a, "f", "great service", "Thanks Ann.")
	if got := slotsOf(t, a, "f"); got["fb_comment"] != "great service" || got["fb_name"] != "Ann" {
		t.Errorf("after the comment: slots %v", got)
	}
}

// TestRolesFillTheirSlotsAndABareEntityTheAskedOne: "from Berlin to Rome"
// fills origin and destination by role; later a bare "Madrid" fills only
// the slot the form asked for, though both slots map the entity.
func TestRolesFillTheirSlotsAndABareEntityTheAskedOne(t *testing.T) {
	a := travelAgent(t, "", nil)
	wantSay(t, a, "roles", "from Berlin to Rome", "Trip from Berlin to Rome.")
	wantSay(t, a, "bare", "book a trip", "Where from?")
	wantSay(t, a, "bare", "Madrid", "Where to?")
	if got := slotsOf(t, a, "bare"); len(got) != 1 || got["origin"] != "Madrid" {
		t.Errorf("after a bare Madrid: slots %v, want origin alone", got)
	}
	wantSay(t, a, "bare", "Lisbon", "Trip from Madrid to Lisbon.")
}

// TestSwitchingForms: a request for another form while one asks a question
// starts the other form, which must not reject on the first form's
// requested slot.
func TestSwitchingForms(t *testing.T) {
	a := travelAgent(t, "", nil)
	wantSay(t, a, "s", "book a trip", "Where from?")
	wantSay(t, a, "s", "give feedback", "Your name?")
	tr, err := a.Tracker(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	if tr.ActiveLoopName() != "feedback_form" {
		t.Errorf("active loop %q, want feedback_form", tr.ActiveLoopName())
	}
}

// stoppingValidation is validate_feedback_form deactivating the form once
// the name is given, as a Rasa SDK validation does by returning
// ActiveLoop(None). It counts the calls that stop the form.
type stoppingValidation struct{ stops *int }

func (v stoppingValidation) Run(_ context.Context, _ string, c *action.Context) (
	[]event.Event, error) {
	if c.Tracker.Slot("fb_name") == nil {
		return nil, nil // called on activation too, with nothing to validate
	}
	*v.stops++
	return []event.Event{{Type: event.Slot, Name: "fb_name", Value: "Ann"},
		{Type: event.ActiveLoop}}, nil
}

// TestValidationStopsTheForm: when validate_<form> sets the loop to null,
// the form stops at once, asks nothing more, and the rule that follows the
// form's end answers exactly once.
func TestValidationStopsTheForm(t *testing.T) {
	stops := 0
	a := travelAgent(t, "actions: [validate_feedback_form]\n", stoppingValidation{&stops})
	wantSay(t, a, "v", "give feedback", "Your name?")
	wantSay(t, a, "v", "Ann", "Thanks Ann.")
	tr, err := a.Tracker(context.Background(), "v")
	if err != nil {
		t.Fatal(err)
	}
	if tr.ActiveLoopName() != "" {
		t.Errorf("the form is still active: %q", tr.ActiveLoopName())
	}
	thanks := 0
	for _, e := range tr.AppliedEvents() {
		if e.Type == event.Action && e.Name == "utter_feedback" {
			thanks++
		}
	}
	if thanks != 1 || stops != 1 {
		t.Errorf("utter_feedback ran %d times and the validation stopped the form %d "+
			"times, want 1 and 1", thanks, stops)
	}
}
