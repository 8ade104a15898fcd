package mysql

import "database/sql"

// WebDB returns the database handle for the web app's tables
// (web_sessions, web_users, web_login_throttle), which the schema creates
// beside the events. Closing the store closes it.
func (s *Store) WebDB() *sql.DB { return s.db.db }
