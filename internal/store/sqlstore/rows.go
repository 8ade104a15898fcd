package sqlstore

import (
	"encoding/json"
	"fmt"

	"github.com/parley-chat/parley/internal/event"
)

// Rows is what the readers need of a query's result; *sql.Rows and
// pgx.Rows both have it. The caller closes the rows.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// WrapFunc adds what was being done to a database error.
type WrapFunc func(doing string, err error) error

// ReadEvents decodes the rows of `SELECT data FROM events ...` for
// conversation id, oldest first. It returns an empty, non-nil slice when
// there are no rows; database errors pass through wrap.
func ReadEvents(id string, rows Rows, wrap WrapFunc) ([]event.Event, error) {
	doing := fmt.Sprintf("loading conversation %q", id)
	events := []event.Event{}
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, wrap(doing, err)
		}
		var ev event.Event
		if err := json.Unmarshal(data, &ev); err != nil {
			return nil, fmt.Errorf("store: conversation %q has an unreadable event: %w", id, err)
		}
		events = append(events, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(doing, err)
	}
	return events, nil
}

// ReadIDs reads the conversation ids of a one-column query, in order; an
// empty, non-nil slice when there are none.
func ReadIDs(rows Rows, wrap WrapFunc) ([]string, error) {
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap("listing conversations", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("listing conversations", err)
	}
	return ids, nil
}
