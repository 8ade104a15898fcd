// Package postgres is a tracker store kept in PostgreSQL, for several
// Parley replicas sharing one database.
//
// Its events table has the columns of Rasa's SQL tracker store (id,
// sender_id, type_name, timestamp, intent_name, action_name, data), one row
// per event with the event's JSON in data. A conversations table beside it
// records each conversation's newest event: appending first locks the
// conversation's row there, so appends to one conversation queue up and
// each batch of events gets consecutive, increasing ids. The schema is
// embedded (schema/*.sql) and migrated at Open under a PostgreSQL advisory
// lock, so replicas starting together migrate once.
package postgres
