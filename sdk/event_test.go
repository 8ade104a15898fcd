package sdk

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestEventJSON pins the JSON of every constructor to the Rasa SDK's.
func TestEventJSON(t *testing.T) {
	at := time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC)
	conf := 0.9
	cases := []struct {
		name string
		ev   Event
		want string
	}{
		{"SlotSet", SlotSet("city", "Paris"),
			`{"event":"slot","timestamp":null,"name":"city","value":"Paris"}`},
		{"SlotSet reset", SlotSet("city", nil),
			`{"event":"slot","timestamp":null,"name":"city","value":null}`},
		{"AllSlotsReset", AllSlotsReset(), `{"event":"reset_slots","timestamp":null}`},
		{"FollowupAction", FollowupAction("action_x"),
			`{"event":"followup","timestamp":null,"name":"action_x"}`},
		{"ActiveLoop", ActiveLoop("pizza_form"),
			`{"event":"active_loop","timestamp":null,"name":"pizza_form"}`},
		{"ActiveLoop off", ActiveLoop(""), `{"event":"active_loop","timestamp":null,"name":null}`},
		{"LoopInterrupted", LoopInterrupted(true),
			`{"event":"loop_interrupted","timestamp":null,"is_interrupted":true}`},
		{"ActionExecuted", ActionExecuted("action_x"),
			`{"event":"action","timestamp":null,"name":"action_x","policy":null,"confidence":null}`},
		{"ActionExecutionRejected", ActionExecutionRejected("pizza_form"),
			`{"event":"action_execution_rejected","timestamp":null,"name":"pizza_form",` +
				`"policy":null,"confidence":null}`},
		{"UserUttered", UserUttered("hi", map[string]any{"intent": map[string]any{"name": "greet"}},
			"rest"), `{"event":"user","timestamp":null,"text":"hi",` +
			`"parse_data":{"intent":{"name":"greet"}},"input_channel":"rest"}`},
		{"UserUttered bare", UserUttered("hi", nil, ""),
			`{"event":"user","timestamp":null,"text":"hi","parse_data":null,"input_channel":null}`},
		{"BotUttered", BotUttered("hello", nil, nil),
			`{"event":"bot","timestamp":null,"text":"hello","data":{},"metadata":{}}`},
		{"AgentUttered", AgentUttered("hey", nil),
			`{"event":"agent","timestamp":null,"text":"hey","data":null}`},
		{"EntitiesAdded", EntitiesAdded([]Entity{{Entity: "city", Value: "Oslo", Start: 0, End: 4}}),
			`{"event":"entities","timestamp":null,"entities":[{"entity":"city","value":"Oslo",` +
				`"start":0,"end":4}]}`},
		{"UserFeaturization", UserFeaturization(false),
			`{"event":"user_featurization","timestamp":null,"use_text_for_featurization":false}`},
		{"Restarted", Restarted(), `{"event":"restart","timestamp":null}`},
		{"SessionStarted", SessionStarted(), `{"event":"session_started","timestamp":null}`},
		{"UserUtteranceReverted", UserUtteranceReverted(), `{"event":"rewind","timestamp":null}`},
		{"ActionReverted", ActionReverted(), `{"event":"undo","timestamp":null}`},
		{"ConversationPaused", ConversationPaused(), `{"event":"pause","timestamp":null}`},
		{"ConversationResumed", ConversationResumed(), `{"event":"resume","timestamp":null}`},
		{"StoryExported", StoryExported("stories.yml"),
			`{"event":"export","timestamp":null,"path":"stories.yml"}`},
		{"ReminderScheduled", ReminderScheduled(Reminder{Intent: "EXTERNAL_remind", At: at,
			Entities: []any{}, Name: "r1"}),
			`{"event":"reminder","timestamp":null,"intent":"EXTERNAL_remind",` +
				`"date_time":"2024-05-01T09:30:00+00:00","entities":[],"name":"r1",` +
				`"kill_on_user_msg":true}`},
		{"ReminderScheduled kept", ReminderScheduled(Reminder{Intent: "x",
			At: at.Add(1500 * time.Microsecond), KeepOnUserMessage: true}),
			`{"event":"reminder","timestamp":null,"intent":"x",` +
				`"date_time":"2024-05-01T09:30:00.001500+00:00","entities":null,"name":null,` +
				`"kill_on_user_msg":false}`},
		{"ReminderCancelled", ReminderCancelled("r1", "", nil),
			`{"event":"cancel_reminder","timestamp":null,"name":"r1","intent":null,"entities":null}`},
		{"With", ActionExecuted("a").With("policy", "RulePolicy").With("confidence", conf),
			`{"event":"action","timestamp":null,"name":"a","policy":"RulePolicy","confidence":0.9}`},
		{"At and metadata", SlotSet("x", 1).At(at).WithMetadata(map[string]any{"k": "v"}),
			`{"event":"slot","timestamp":1714555800,"name":"x","value":1,"metadata":{"k":"v"}}`},
	}
	for _, tc := range cases {
		got, err := json.Marshal(tc.ev)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var g, w any
		_ = json.Unmarshal(got, &g)
		if err := json.Unmarshal([]byte(tc.want), &w); err != nil {
			t.Fatalf("%s: bad want: %v", tc.name, err)
		}
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestEventWithCopies checks that With leaves the original unchanged.
func TestEventWithCopies(t *testing.T) {
	e := SlotSet("x", 1)
	_ = e.With("value", 2)
	if e["value"] != 1 || e.Type() != "slot" {
		t.Errorf("With changed the original: %v", e)
	}
}
