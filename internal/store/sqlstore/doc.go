// Package sqlstore holds what Parley's SQL tracker stores (SQLite,
// PostgreSQL, MySQL) share: reading and running the numbered schema
// migrations, decoding the events table, encoding events into its columns,
// and telling an unreachable database from a failing statement.
//
// Each store keeps what differs behind small hooks: its driver, its lock
// around a migration (a transaction on SQLite, an advisory lock on
// PostgreSQL, GET_LOCK on MySQL), its query for existing tables, and which
// server errors mean that the database is down.
package sqlstore
