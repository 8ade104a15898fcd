package mysql

import (
	"context"
	"database/sql"
	"strings"

	"github.com/parley-chat/parley/internal/store/sqlstore"
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

// Write implements sqlstore.Backend: one transaction that first locks the
// conversation's row, so that writes to one conversation take turns. A
// transaction that InnoDB ends as a deadlock victim is tried again.
func (b *backend) Write(ctx context.Context, id string, rows []sqlstore.Row,
	replace bool) error {
	var err error
	for attempt := 0; ; attempt++ {
		err = b.writeTx(ctx, id, rows, replace)
		if err == nil || !deadlock(err) || attempt == deadlockRetries {
			return err
		}
	}
}

// writeTx is one attempt of Write.
func (b *backend) writeTx(ctx context.Context, id string, rows []sqlstore.Row,
	replace bool) error {
	tx, err := b.db.BeginTx(ctx, nil)
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
func chunk(rows []sqlstore.Row) int {
	size := 0
	for i, r := range rows {
		size += len(r.Data)
		if i > 0 && (i == maxRowsPerInsert || size > maxBytesPerInsert) {
			return i
		}
	}
	return len(rows)
}

// insertRows inserts rows in one statement; their ids increase in order.
func insertRows(ctx context.Context, tx *sql.Tx, id string, rows []sqlstore.Row) error {
	var q strings.Builder
	q.WriteString("INSERT INTO events (sender_id, type_name, `timestamp`, " +
		"intent_name, action_name, data) VALUES ")
	args := make([]any, 0, 6*len(rows))
	for i, r := range rows {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?)")
		args = append(args, id, r.Type, r.Timestamp, r.Intent, r.Action, r.Data)
	}
	_, err := tx.ExecContext(ctx, q.String(), args...)
	return err
}
