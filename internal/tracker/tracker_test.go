package tracker

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
)

func testDomain() *domain.Domain {
	return &domain.Domain{
		Intents: []domain.Intent{{Name: "greet", UseAllEntities: true},
			{Name: "inform", UseAllEntities: true}, {Name: "quiet", UseEntities: []string{}}},
		Entities: []domain.Entity{{Name: "city", InfluenceConversation: true},
			{Name: "mood", InfluenceConversation: false}},
		Slots: []domain.Slot{
			{Name: "city", Type: domain.SlotText, InfluenceConversation: true},
			{Name: "vip", Type: domain.SlotBool, InfluenceConversation: true},
			{Name: "size", Type: domain.SlotCategorical, InfluenceConversation: true,
				Values: []string{"small", "large", domain.OtherCategory}},
			{Name: "count", Type: domain.SlotFloat, InfluenceConversation: true, MaxValue: 10},
			{Name: "note", Type: domain.SlotText, InitialValue: "none"},
		},
		Forms: []domain.Form{{Name: "hotel_form", RequiredSlots: []string{"city"}}},
	}
}

func user(intent string, ents ...nlu.Entity) event.Event {
	return event.Event{Type: event.User, Text: intent,
		Parse: &nlu.Parse{Intent: nlu.Intent{Name: intent, Confidence: 1}, Entities: ents}}
}

func act(name string) event.Event      { return event.Event{Type: event.Action, Name: name} }
func slot(n string, v any) event.Event { return event.Event{Type: event.Slot, Name: n, Value: v} }

func names(events []event.Event) []string {
	var out []string
	for _, e := range events {
		s := e.Type
		if e.Name != "" {
			s += ":" + e.Name
		} else if e.Type == event.User {
			s += ":" + e.Parse.Intent.Name
		}
		out = append(out, s)
	}
	return out
}

func TestSlots(t *testing.T) {
	tr := FromEvents("c", testDomain(), []event.Event{slot("city", "Berlin"), slot("nope", 1)})
	if tr.Slot("city") != "Berlin" || tr.HasSlot("nope") {
		t.Fatalf("slots %v", tr.Slots())
	}
	if tr.Slot("note") != "none" || !tr.HasSlot(domain.RequestedSlot) ||
		!tr.HasSlot(domain.SessionStartedMetadata) {
		t.Fatalf("initial and built-in slots missing: %v", tr.Slots())
	}
	tr.Update(slot("note", "x"))
	tr.Update(event.Event{Type: event.ResetSlots})
	if tr.Slot("city") != nil || tr.Slot("note") != "none" {
		t.Fatalf("after reset_slots: %v", tr.Slots())
	}
}

func TestRestartRewindUndo(t *testing.T) {
	base := []event.Event{act("action_listen"), user("greet"), act("utter_greet"),
		act("action_listen"), user("inform"), slot("city", "Paris")}
	cases := []struct {
		name       string
		extra      []event.Event
		applied    []string
		latestUser string
		latestAct  string
		city       any
	}{
		{"rewind", []event.Event{{Type: event.Rewind}},
			[]string{"action:action_listen", "user:greet", "action:utter_greet"}, "greet", "utter_greet", nil},
		{"undo", []event.Event{act("utter_x"), slot("vip", true), {Type: event.Undo}},
			[]string{"action:action_listen", "user:greet", "action:utter_greet", "action:action_listen",
				"user:inform", "slot:city"}, "inform", "action_listen", "Paris"},
		{"restart", []event.Event{act("action_restart"), {Type: event.Restart}}, nil, "", "", nil},
		{"session", []event.Event{{Type: event.SessionStarted}, slot("city", "Rome"), act("action_listen")},
			[]string{"slot:city", "action:action_listen"}, "", "action_listen", "Rome"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := FromEvents("c", testDomain(), append(slices.Clone(base), c.extra...))
			if got := names(tr.AppliedEvents()); !slices.Equal(got, c.applied) {
				t.Errorf("applied %v, want %v", got, c.applied)
			}
			if got := tr.LatestIntent(); got != c.latestUser {
				t.Errorf("latest intent %q, want %q", got, c.latestUser)
			}
			if got := tr.LatestActionName(); got != c.latestAct {
				t.Errorf("latest action %q, want %q", got, c.latestAct)
			}
			if tr.Slot("city") != c.city {
				t.Errorf("city %v, want %v", tr.Slot("city"), c.city)
			}
		})
	}
}

func TestRestartTriggersSessionStart(t *testing.T) {
	tr := FromEvents("c", testDomain(), []event.Event{act("action_listen"), user("greet"),
		{Type: event.Restart}})
	if tr.Followup() != ActionSessionStart {
		t.Fatalf("followup %q", tr.Followup())
	}
	tr.Update(act(ActionSessionStart))
	if tr.Followup() != "" {
		t.Fatalf("followup not cleared: %q", tr.Followup())
	}
}

func TestLoopFlags(t *testing.T) {
	tr := FromEvents("c", testDomain(), []event.Event{act("action_listen"), user("greet"),
		act("hotel_form"), {Type: event.ActiveLoop, Name: "hotel_form"},
		{Type: event.ActionRejected, Name: "hotel_form"}})
	if tr.ActiveLoopName() != "hotel_form" || !tr.IsActiveLoopRejected() {
		t.Fatalf("loop %+v", tr.ActiveLoop())
	}
	if tr.ActiveLoop().TriggerMessage == nil || tr.ActiveLoop().TriggerMessage.Intent.Name != "greet" {
		t.Fatalf("trigger message %+v", tr.ActiveLoop().TriggerMessage)
	}
	tr.Update(event.Event{Type: event.LoopInterrupted, IsInterrupted: true})
	tr.Update(act("hotel_form"))
	if tr.IsActiveLoopRejected() || tr.IsActiveLoopInterrupted() {
		t.Fatalf("running the loop must reset its flags: %+v", tr.ActiveLoop())
	}
	tr.Update(event.Event{Type: event.ActiveLoop})
	if tr.ActiveLoop() != nil {
		t.Fatalf("loop not deactivated")
	}
}

func TestLoopHappyPathFolds(t *testing.T) {
	events := []event.Event{act("action_listen"), user("greet"), act("hotel_form"),
		{Type: event.ActiveLoop, Name: "hotel_form"}, slot(domain.RequestedSlot, "city"),
		act("action_listen"), user("inform"), slot("city", "Oslo"), act("hotel_form"),
		{Type: event.ActiveLoop}}
	tr := FromEvents("c", testDomain(), events)
	want := []string{"action:action_listen", "user:greet", "action:hotel_form", "active_loop:hotel_form",
		"slot:requested_slot", "slot:city", "active_loop"}
	if got := names(tr.AppliedEvents()); !slices.Equal(got, want) {
		t.Fatalf("applied %v\nwant %v", got, want)
	}
}

func TestPastStates(t *testing.T) {
	d := testDomain()
	events := []event.Event{act("action_listen"),
		user("inform", nlu.Entity{Entity: "city", Value: "Oslo", Role: "to"}, nlu.Entity{Entity: "mood", Value: "x"}),
		slot("city", "Oslo"), slot("vip", false), slot("size", "LARGE"), slot("count", 5.0),
		act("utter_ok"), act("action_listen"), user("quiet", nlu.Entity{Entity: "city", Value: "x"})}
	states := FromEvents("c", d, events).PastStates(StateOptions{})
	want := []string{
		"",
		"user intent: inform | user entities: city | user entities: city#to | previous action name: " +
			"action_listen | slot: city=1 | slot: count=0.5 | slot: size=cat:large | slot: vip=1,0",
		"user intent: inform | user entities: city | user entities: city#to | previous action name: " +
			"utter_ok | slot: city=1 | slot: count=0.5 | slot: size=cat:large | slot: vip=1,0",
		"user intent: quiet | previous action name: action_listen | slot: city=1 | slot: count=0.5 | " +
			"slot: size=cat:large | slot: vip=1,0",
	}
	if len(states) != len(want) {
		t.Fatalf("%d states, want %d", len(states), len(want))
	}
	for i, s := range states {
		if s.String() != want[i] {
			t.Errorf("state %d:\n got %s\nwant %s", i, s, want[i])
		}
	}
}

func TestIgnoreRuleOnlyTurns(t *testing.T) {
	hidden := func(name string) event.Event {
		e := act(name)
		e.HideRuleTurn = true
		return e
	}
	events := []event.Event{act("action_listen"), user("greet"), act("utter_greet"),
		act("action_listen"), user("inform"), hidden("utter_rule"), hidden("action_listen"),
		user("greet")}
	states := FromEvents("c", testDomain(), events).PastStates(StateOptions{IgnoreRuleOnlyTurns: true})
	var got []string
	for _, s := range states {
		got = append(got, s.String())
	}
	want := []string{"", "user intent: greet | previous action name: action_listen",
		"user intent: greet | previous action name: utter_greet",
		"user intent: greet | previous action name: action_listen"}
	if !slices.Equal(got, want) {
		t.Fatalf("states\n%q\nwant\n%q", got, want)
	}
}

func TestMarshalState(t *testing.T) {
	tr := FromEvents("alice", testDomain(), []event.Event{
		{Type: event.Action, Name: "action_listen", Timestamp: 10},
		{Type: event.User, Text: "hi", InputChannel: "rest", MessageID: "m1", Timestamp: 11.5,
			Parse: &nlu.Parse{Intent: nlu.Intent{Name: "greet", Confidence: 0.9}}},
		{Type: event.Restart, Timestamp: 12}, {Type: event.Slot, Name: "city", Value: "Oslo", Timestamp: 13}})
	data, err := tr.MarshalState(EventsAfterRestart)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
	order := []string{`"sender_id"`, `"slots"`, `"latest_message"`, `"latest_event_time"`,
		`"followup_action"`, `"paused"`, `"events"`, `"latest_input_channel"`, `"active_loop"`,
		`"latest_action"`, `"latest_action_name"`}
	last := -1
	for _, k := range order {
		i := strings.Index(string(data), k)
		if i <= last {
			t.Fatalf("key %s out of order in %s", k, data)
		}
		last = i
	}
	checks := map[string]string{"sender_id": `"alice"`, "latest_event_time": "13.0",
		"followup_action": `"action_session_start"`, "latest_input_channel": `"rest"`,
		"active_loop": "{}", "latest_action": "{}", "latest_action_name": "null",
		"events": `[{"event":"slot","timestamp":13.0,"name":"city","value":"Oslo"}]`}
	for k, want := range checks {
		if string(m[k]) != want {
			t.Errorf("%s = %s, want %s", k, m[k], want)
		}
	}
	if !strings.HasPrefix(string(m["slots"]), `{"city":"Oslo","vip":null,"size":null,"count":null,"note":"none"`) {
		t.Errorf("slots = %s", m["slots"])
	}
}

func TestParseVerbosity(t *testing.T) {
	for in, want := range map[string]Verbosity{"none": EventsNone, "APPLIED": EventsApplied,
		"": EventsAfterRestart, "all": EventsAll} {
		if got, err := ParseVerbosity(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := ParseVerbosity("some"); err == nil {
		t.Error("no error for an unknown verbosity")
	}
}
