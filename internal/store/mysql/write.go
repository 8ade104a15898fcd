package mysql

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/parley-chat/parley/internal/event"
)

// Limits of one INSERT statement: rows, and bytes of event JSON (well
// under the servers' default max_allowed_packet of 16 MiB or more).
const (
	maxRowsPerInsert  = 500
	maxBytesPerInsert = 4 << 20
	// deadlockRetries is how often a write that InnoDB ended as a deadlock
	// victim is tried again.
	deadlockRetries = 5
	// indexColumnChars is the width of the copied-out name columns.
	indexColumnChars = 255
)

// row is one event ready to insert.
type row struct {
	typeName, data string
	intent, action sql.NullString
	timestamp      float64
}

// write appends events to conversation id, after deleting its log when
// replace is set, in one transaction that first locks the conversation's
// row, so that writes to one conversation take turns.
func (s *Store) write(ctx context.Context, id string, events []event.Event, replace bool) error {
	if err := s.check(); err != nil {
		return err
	}
	rows, err := rowsOf(events)
	if err != nil {
		return fmt.Errorf("store: writing to conversation %q: %w", id, err)
	}
	for attempt := 0; ; attempt++ {
		err = s.writeTx(ctx, id, rows, replace)
		if err == nil || !deadlock(err) || attempt == deadlockRetries {
			break
		}
	}
	if err != nil {
		return wrap(fmt.Sprintf("writing to conversation %q", id), err)
	}
	return nil
}

// writeTx is one attempt of write.
func (s *Store) writeTx(ctx context.Context, id string, rows []row, replace bool) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO conversations (sender_id, latest_event_id)
		VALUES (?, 0) ON DUPLICATE KEY UPDATE latest_event_id = latest_event_id`, id); err != nil {
		return err
	}
	if replace {
		if _, err := tx.ExecContext(ctx, `DELETE FROM events WHERE sender_id = ?`, id); err != nil {
			return err
		}
	}
	for len(rows) > 0 {
		n := chunk(rows)
		if err := insertRows(ctx, tx, id, rows[:n]); err != nil {
			return err
		}
		rows = rows[n:]
	}
	if err := setLatest(ctx, tx, id); err != nil {
		return err
	}
	return tx.Commit()
}

// setLatest records the conversation's newest event id, or removes the
// conversation when it has no events left.
func setLatest(ctx context.Context, tx *sql.Tx, id string) error {
	var latest sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT MAX(id) FROM events WHERE sender_id = ?`, id).
		Scan(&latest)
	if err != nil {
		return err
	}
	if !latest.Valid {
		_, err = tx.ExecContext(ctx, `DELETE FROM conversations WHERE sender_id = ?`, id)
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE conversations SET latest_event_id = ?
		WHERE sender_id = ?`, latest.Int64, id)
	return err
}

// chunk is how many of rows fit in one INSERT.
func chunk(rows []row) int {
	size := 0
	for i, r := range rows {
		size += len(r.data)
		if i > 0 && (i == maxRowsPerInsert || size > maxBytesPerInsert) {
			return i
		}
	}
	return len(rows)
}

// insertRows inserts rows in one statement; their ids increase in order.
func insertRows(ctx context.Context, tx *sql.Tx, id string, rows []row) error {
	var q strings.Builder
	q.WriteString("INSERT INTO events (sender_id, type_name, `timestamp`, " +
		"intent_name, action_name, data) VALUES ")
	args := make([]any, 0, 6*len(rows))
	for i, r := range rows {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?)")
		args = append(args, id, r.typeName, r.timestamp, r.intent, r.action, r.data)
	}
	_, err := tx.ExecContext(ctx, q.String(), args...)
	return err
}

// rowsOf encodes events into rows.
func rowsOf(events []event.Event) ([]row, error) {
	rows := make([]row, len(events))
	for i := range events {
		ev := &events[i]
		data, err := json.Marshal(ev)
		if err != nil {
			return nil, fmt.Errorf("encoding a %s event: %w", ev.Type, err)
		}
		rows[i] = row{typeName: ev.Type, data: string(data), timestamp: ev.Timestamp}
		switch ev.Type {
		case event.User:
			if ev.Parse != nil {
				rows[i].intent = indexColumn(ev.Parse.Intent.Name)
			}
		case event.Action:
			rows[i].action = indexColumn(ev.Name)
		}
	}
	return rows, nil
}

// indexColumn is name as a copied-out column: NULL when empty, cut to the
// column's width on a character boundary.
func indexColumn(name string) sql.NullString {
	if name == "" {
		return sql.NullString{}
	}
	if r := []rune(name); len(r) > indexColumnChars {
		name = string(r[:indexColumnChars])
	}
	return sql.NullString{String: name, Valid: true}
}
