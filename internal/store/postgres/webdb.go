package postgres

import (
	"database/sql"

	"github.com/jackc/pgx/v5/stdlib"
)

// WebDB returns a database/sql handle on the store's pool, for the web
// app's tables (web_sessions, web_users), which the schema creates beside
// the events. Closing the store closes it too.
func (s *Store) WebDB() *sql.DB {
	s.db.webOnce.Do(func() { s.db.web = stdlib.OpenDBFromPool(s.db.pool) })
	return s.db.web
}
