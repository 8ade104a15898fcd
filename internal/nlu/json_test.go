package nlu

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseJSON(t *testing.T) {
	key := "faq/ask_hours"
	p := Parse{Text: "", Entities: []Entity{}, IntentRanking: []Intent{},
		ResponseSelector: &ResponseSelector{AllRetrievalIntents: []string{"faq"},
			Selectors: map[string]SelectorResponse{"default": {Response: SelectedResponse{
				Confidence: 0.5, IntentResponseKey: &key, UtterAction: "utter_" + key}}}}}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"text":"","intent":{"name":null,"confidence":0},"entities":[],` +
		`"intent_ranking":[],"response_selector":{"all_retrieval_intents":["faq"],` +
		`"default":{"response":{"responses":null,"confidence":0.5,` +
		`"intent_response_key":"faq/ask_hours","utter_action":"utter_faq/ask_hours"},` +
		`"ranking":null}}}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	var back Parse
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.ResponseSelector.Selectors["default"].Response.Confidence != 0.5 {
		t.Errorf("round trip: %+v", back.ResponseSelector)
	}
}

// TestParseEntitiesNeverNull: a parse without entities writes "entities": [].
func TestParseEntitiesNeverNull(t *testing.T) {
	b, err := json.Marshal(Parse{Text: "/greet", Intent: Intent{Name: "greet", Confidence: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"entities":[]`) {
		t.Errorf("parse JSON %s, want entities []", b)
	}
}
