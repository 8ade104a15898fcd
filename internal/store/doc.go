// Package store keeps conversations: tracker stores (the event log of each
// conversation), and later lock stores and event brokers.
//
// Two tracker stores exist: Memory, lost when the process stops, and
// SQLite, a database file in a data directory (".parley/" in the project by
// default) that is created and migrated when it is opened. Its events table
// follows Rasa's SQL tracker store: one row per event with the event JSON
// in the data column.
package store
