package postgres

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"

	"github.com/parley-chat/parley/internal/store/sqlstore"
)

// Write implements sqlstore.Backend. Everything goes to the server as one
// pipeline that runs as one transaction. Its first statement locks the
// conversation's row, so writes to one conversation take turns and each
// gets ids above the last.
func (b *backend) Write(ctx context.Context, id string, rows []sqlstore.Row,
	replace bool) error {
	batch := &pgx.Batch{}
	batch.Queue(`INSERT INTO conversations (sender_id, latest_event_id) VALUES ($1, 0)
		ON CONFLICT (sender_id) DO UPDATE SET latest_event_id = conversations.latest_event_id`, id)
	if replace {
		batch.Queue(`DELETE FROM events WHERE sender_id = $1`, id)
	}
	if len(rows) > 0 {
		cols := columnsOf(rows)
		batch.Queue(`INSERT INTO events
				(sender_id, type_name, timestamp, intent_name, action_name, data)
			SELECT $1, t, ts, i, a, d
			FROM unnest($2::text[], $3::float8[], $4::text[], $5::text[], $6::text[])
				WITH ORDINALITY AS e(t, ts, i, a, d, n)
			ORDER BY n`, id, cols.types, cols.timestamps, cols.intents, cols.actions, cols.data)
		batch.Queue(`UPDATE conversations SET latest_event_id =
			(SELECT MAX(id) FROM events WHERE sender_id = $1) WHERE sender_id = $1`, id)
	} else {
		batch.Queue(`DELETE FROM conversations WHERE sender_id = $1`, id)
	}
	return b.pool.SendBatch(ctx, batch).Close()
}

// columns are the events' column values, one slice per column.
type columns struct {
	types, data, intents, actions []*string
	timestamps                    []float64
}

// columnsOf turns rows into column slices.
func columnsOf(rows []sqlstore.Row) columns {
	var c columns
	for i := range rows {
		r := &rows[i]
		c.types = append(c.types, &r.Type)
		c.timestamps = append(c.timestamps, r.Timestamp)
		c.intents = append(c.intents, textOrNil(r.Intent))
		c.actions = append(c.actions, textOrNil(r.Action))
		c.data = append(c.data, &r.Data)
	}
	return c
}

// textOrNil is a nullable column as pgx takes it in a text array.
func textOrNil(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	return &v.String
}
