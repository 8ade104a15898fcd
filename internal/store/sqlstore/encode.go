package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/parley-chat/parley/internal/event"
)

// Row is one event in the columns of the events table (those of Rasa's SQL
// tracker store), without the conversation id.
type Row struct {
	// Type is type_name; Data is the event's JSON.
	Type, Data string
	Timestamp  float64
	// Intent is intent_name: the intent of a user event, NULL otherwise.
	Intent sql.NullString
	// Action is action_name: the name of an action event, NULL otherwise.
	Action sql.NullString
}

// EncodeEvents turns events into rows. maxChars, when above 0, cuts the
// intent and action names to that many characters (the width of a
// VARCHAR column); the JSON in Data always keeps them whole.
func EncodeEvents(events []event.Event, maxChars int) ([]Row, error) {
	rows := make([]Row, len(events))
	for i := range events {
		ev := &events[i]
		data, err := json.Marshal(ev)
		if err != nil {
			return nil, fmt.Errorf("encoding a %s event: %w", ev.Type, err)
		}
		rows[i] = Row{Type: ev.Type, Data: string(data), Timestamp: ev.Timestamp}
		switch ev.Type {
		case event.User:
			if ev.Parse != nil {
				rows[i].Intent = nameColumn(ev.Parse.Intent.Name, maxChars)
			}
		case event.Action:
			rows[i].Action = nameColumn(ev.Name, maxChars)
		}
	}
	return rows, nil
}

// nameColumn is name as a copied-out column: NULL when empty, cut to
// maxChars characters (when above 0) on a character boundary.
func nameColumn(name string, maxChars int) sql.NullString {
	if name == "" {
		return sql.NullString{}
	}
	if r := []rune(name); maxChars > 0 && len(r) > maxChars {
		name = string(r[:maxChars])
	}
	return sql.NullString{String: name, Valid: true}
}
