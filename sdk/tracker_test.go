package sdk

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const fullTracker = `{
 "sender_id": "u7",
 "slots": {"city": "Oslo", "requested_slot": "date", "count": 3},
 "latest_message": {"text": "from Oslo to Rome", "message_id": "m9",
   "intent": {"name": "book", "confidence": 0.93},
   "intent_ranking": [{"name": "book", "confidence": 0.93}],
   "entities": [
     {"entity": "city", "value": "Oslo", "start": 5, "end": 9, "role": "from", "group": "1"},
     {"entity": "city", "value": "Rome", "start": 13, "end": 17, "role": "to", "group": "1"},
     {"entity": "date", "value": "today", "start": 0, "end": 0}]},
 "events": [
   {"event": "slot", "timestamp": 1.0, "name": "x", "value": 1},
   {"event": "restart", "timestamp": 2.0},
   {"event": "user", "timestamp": 3.0, "text": "from Oslo to Rome"},
   {"event": "slot", "timestamp": 4.0, "name": "city", "value": "oslo"},
   {"event": "slot", "timestamp": 5.0, "name": "date", "value": "today"},
   {"event": "slot", "timestamp": 6.0, "name": "city", "value": "Oslo"}],
 "paused": true,
 "followup_action": "action_x",
 "active_form": {"name": "booking_form", "validate": true, "rejected": false},
 "latest_action_name": "action_listen",
 "latest_input_channel": "rest"
}`

func TestParseTracker(t *testing.T) {
	tr, err := ParseTracker([]byte(fullTracker))
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string][2]any{
		"sender":     {tr.SenderID(), "u7"},
		"slot":       {tr.GetSlot("city"), "Oslo"},
		"number":     {tr.GetSlot("count"), 3.0},
		"unknown":    {tr.GetSlot("nope"), nil},
		"requested":  {tr.RequestedSlot(), "date"},
		"intent":     {tr.LatestIntent(), "book"},
		"text":       {tr.LatestMessage().Text, "from Oslo to Rome"},
		"loop":       {tr.ActiveLoopName(), "booking_form"},
		"validate":   {tr.ActiveLoop().Validate, true},
		"paused":     {tr.Paused(), true},
		"followup":   {tr.FollowupAction(), "action_x"},
		"action":     {tr.LatestActionName(), "action_listen"},
		"channel":    {tr.LatestInputChannel(), "rest"},
		"events":     {len(tr.Events()), 6},
		"restart":    {len(tr.EventsAfterLatestRestart()), 4},
		"first type": {tr.Events()[1].Type(), "restart"},
	}
	for what, c := range checks {
		if !cmp.Equal(c[0], c[1]) {
			t.Errorf("%s = %v, want %v", what, c[0], c[1])
		}
	}
}

func TestLatestEntityValues(t *testing.T) {
	tr, err := ParseTracker([]byte(fullTracker))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		entity, role, group string
		want                []any
	}{
		{"city", "", "", []any{"Oslo", "Rome"}},
		{"city", "to", "", []any{"Rome"}},
		{"city", "", "1", []any{"Oslo", "Rome"}},
		{"city", "from", "2", nil},
		{"date", "", "", []any{"today"}},
		{"name", "", "", nil},
	}
	for _, tc := range cases {
		got := tr.LatestEntityValues(tc.entity, tc.role, tc.group)
		if !cmp.Equal(got, tc.want) {
			t.Errorf("%s/%s/%s = %v, want %v", tc.entity, tc.role, tc.group, got, tc.want)
		}
	}
}

func TestSlotsToValidate(t *testing.T) {
	tr, err := ParseTracker([]byte(fullTracker))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"city": "Oslo", "date": "today"}
	if diff := cmp.Diff(want, tr.SlotsToValidate()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestTrackerIsReadOnly(t *testing.T) {
	tr, _ := ParseTracker([]byte(fullTracker))
	tr.Slots()["city"] = "changed"
	tr.Events()[0]["event"] = "changed"
	if tr.GetSlot("city") != "Oslo" {
		t.Error("Slots() exposes the tracker's map")
	}
	if tr.Events()[0].Type() != "slot" {
		t.Error("Events() exposes the tracker's events")
	}
	if _, err := ParseTracker([]byte(`{"slots": [1]}`)); err == nil {
		t.Error("no error for slots that are not an object")
	}
}

func TestMessageJSON(t *testing.T) {
	m := Message{Text: "Pick one", Buttons: []Button{{Title: "A", Payload: "/a"}},
		Kwargs: map[string]any{"count": 2}}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	_ = json.Unmarshal(b, &got)
	want := map[string]any{"text": "Pick one", "buttons": []any{map[string]any{"title": "A",
		"payload": "/a"}}, "elements": []any{}, "custom": map[string]any{}, "template": nil,
		"response": nil, "image": nil, "attachment": nil, "count": 2.0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
