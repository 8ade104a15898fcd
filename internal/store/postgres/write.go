package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/parley-chat/parley/internal/event"
)

// write appends events to conversation id, after deleting its log when
// replace is set. Everything goes to the server as one pipeline that runs
// as one transaction. Its first statement locks the conversation's row, so
// writes to one conversation take turns and each gets ids above the last.
func (s *Store) write(ctx context.Context, id string, events []event.Event, replace bool) error {
	if err := s.check(); err != nil {
		return err
	}
	cols, err := columnsOf(events)
	if err != nil {
		return fmt.Errorf("store: writing to conversation %q: %w", id, err)
	}
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO conversations (sender_id, latest_event_id) VALUES ($1, 0)
		ON CONFLICT (sender_id) DO UPDATE SET latest_event_id = conversations.latest_event_id`, id)
	if replace {
		b.Queue(`DELETE FROM events WHERE sender_id = $1`, id)
	}
	if len(events) > 0 {
		b.Queue(`INSERT INTO events
				(sender_id, type_name, timestamp, intent_name, action_name, data)
			SELECT $1, t, ts, i, a, d
			FROM unnest($2::text[], $3::float8[], $4::text[], $5::text[], $6::text[])
				WITH ORDINALITY AS e(t, ts, i, a, d, n)
			ORDER BY n`, id, cols.types, cols.timestamps, cols.intents, cols.actions, cols.data)
		b.Queue(`UPDATE conversations SET latest_event_id =
			(SELECT MAX(id) FROM events WHERE sender_id = $1) WHERE sender_id = $1`, id)
	} else {
		b.Queue(`DELETE FROM conversations WHERE sender_id = $1`, id)
	}
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return wrap(fmt.Sprintf("writing to conversation %q", id), err)
	}
	return nil
}

// columns are the events' column values, one slice per column.
type columns struct {
	types, data, intents, actions []*string
	timestamps                    []float64
}

// columnsOf encodes events into column slices.
func columnsOf(events []event.Event) (columns, error) {
	var c columns
	for i := range events {
		ev := &events[i]
		data, err := json.Marshal(ev)
		if err != nil {
			return c, fmt.Errorf("encoding a %s event: %w", ev.Type, err)
		}
		intent, action := indexColumns(ev)
		c.types = append(c.types, &ev.Type)
		c.timestamps = append(c.timestamps, ev.Timestamp)
		c.intents = append(c.intents, intent)
		c.actions = append(c.actions, action)
		text := string(data)
		c.data = append(c.data, &text)
	}
	return c, nil
}

// indexColumns returns the intent_name and action_name of ev: the intent
// of a user event and the name of an action event, nil otherwise.
func indexColumns(ev *event.Event) (intent, action *string) {
	switch ev.Type {
	case event.User:
		if ev.Parse != nil && ev.Parse.Intent.Name != "" {
			intent = &ev.Parse.Intent.Name
		}
	case event.Action:
		if ev.Name != "" {
			action = &ev.Name
		}
	}
	return intent, action
}
