package importer

import (
	"fmt"
	"strings"
)

// rasaRow is one row of Rasa's events table.
type rasaRow struct {
	sender, typeName, intent, action, data string
	timestamp                              float64
}

// rasaRows are two conversations as Rasa's SQL tracker store keeps them,
// interleaved: "ann" stopped in the middle of a form, "ben" said hello.
// One event has a type Parley does not know.
func rasaRows() []rasaRow {
	ann := []string{
		`{"event": "action", "timestamp": 1700000000.1, "name": "action_session_start", ` +
			`"policy": null, "confidence": 1.0, "action_text": null, "hide_rule_turn": false}`,
		`{"event": "session_started", "timestamp": 1700000000.2}`,
		`{"event": "user", "timestamp": 1700000001.5, "metadata": {"model_id": "m1"}, ` +
			`"text": "a pizza 🍕 please", "parse_data": {"intent": {"name": "order", ` +
			`"confidence": 0.98}, "entities": [{"entity": "food", "start": 2, "end": 7, ` +
			`"value": "pizza", "extractor": "DIETClassifier"}], "text": "a pizza 🍕 please", ` +
			`"message_id": "x1", "metadata": {}, "intent_ranking": [{"name": "order", ` +
			`"confidence": 0.98}]}, "input_channel": "rest", "message_id": "x1"}`,
		`{"event": "action", "timestamp": 1700000001.6, "name": "pizza_form", "policy": ` +
			`"RulePolicy", "confidence": 1.0, "action_text": null, "hide_rule_turn": true}`,
		`{"event": "active_loop", "timestamp": 1700000001.7, "name": "pizza_form"}`,
		`{"event": "slot", "timestamp": 1700000001.8, "name": "food", "value": "pizza"}`,
		`{"event": "slot", "timestamp": 1700000001.9, "name": "requested_slot", "value": "size"}`,
		`{"event": "bot", "timestamp": 1700000002.0, "metadata": {"utter_action": ` +
			`"utter_ask_size"}, "text": "Which size?", "data": {"elements": null, ` +
			`"quick_replies": null, "buttons": null, "attachment": null, "image": null, ` +
			`"custom": null}}`,
		`{"event": "some_plugin_event", "timestamp": 1700000002.1}`,
	}
	ben := []string{
		`{"event": "action", "timestamp": 1690000000.1, "name": "action_session_start", ` +
			`"policy": null, "confidence": 1.0, "action_text": null, "hide_rule_turn": false}`,
		`{"event": "user", "timestamp": 1690000000.5, "text": "hello", "parse_data": ` +
			`{"intent": {"name": "greet", "confidence": 0.9}, "entities": [], "text": "hello"}, ` +
			`"input_channel": "rest", "message_id": "y1", "metadata": {}}`,
	}
	var rows []rasaRow
	for i := range max(len(ann), len(ben)) {
		if i < len(ben) { // ben's conversation starts first but ann's is newer
			rows = append(rows, rowOf("ben", ben[i]))
		}
		if i < len(ann) {
			rows = append(rows, rowOf("ann", ann[i]))
		}
	}
	return rows
}

// rowOf fills the copied-out columns of a Rasa row from its JSON, roughly.
func rowOf(sender, data string) rasaRow {
	r := rasaRow{sender: sender, data: data}
	r.typeName = field(data, `"event": "`)
	fmt.Sscan(field(data, `"timestamp": `), &r.timestamp)
	if r.typeName == "action" {
		r.action = field(data, `"name": "`)
	}
	return r
}

// field returns the text after key up to the next quote or comma.
func field(data, key string) string {
	_, rest, _ := strings.Cut(data, key)
	end := strings.IndexAny(rest, `",}`)
	if end < 0 {
		return rest
	}
	return rest[:end]
}

// rasaRecords are the same conversations as Rasa's Redis tracker store
// keeps them.
func rasaRecords() map[string]string {
	events := map[string][]string{}
	for _, r := range rasaRows() {
		events[r.sender] = append(events[r.sender], r.data)
	}
	out := map[string]string{}
	for sender, evs := range events {
		out[sender] = `{"events": [` + strings.Join(evs, ", ") + `], "name": "` + sender + `"}`
	}
	return out
}

// rasaTable is Rasa's events table; the id column type is per dialect.
func rasaTable(idColumn string) string {
	return `CREATE TABLE events (id ` + idColumn + `, sender_id VARCHAR(255) NOT NULL,
		type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255),
		action_name VARCHAR(255), data TEXT)`
}
