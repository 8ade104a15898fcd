// Package mysql is a tracker store kept in MySQL or MariaDB, for several
// Parley replicas sharing one database.
//
// It has the same tables as the PostgreSQL store: events in the columns of
// Rasa's SQL tracker store, with the event JSON in data (LONGTEXT,
// utf8mb4), and conversations with each conversation's newest event id.
// Conversation ids compare byte for byte (utf8mb4_bin), so "Ann" and "ann"
// are two conversations. Appending locks the conversation's row first, so
// appends to one conversation take turns; a transaction that InnoDB ends
// as a deadlock victim is retried. The schema is embedded and migrated at
// Open under GET_LOCK, so replicas starting together migrate once.
package mysql
