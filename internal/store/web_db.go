package store

import "database/sql"

// WebDB returns the database handle that the web app keeps its sessions
// and users in (the web_sessions and web_users tables of the schema). It is
// the store's writing connection, so web writes queue with event writes
// instead of racing them for SQLite's lock.
func (s *SQLite) WebDB() *sql.DB { return s.db.write }
