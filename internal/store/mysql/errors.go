package mysql

import (
	"errors"

	"github.com/go-sql-driver/mysql"

	"github.com/parley-chat/parley/internal/store/sqlstore"
)

// Errors of this package; test them with errors.Is.
var (
	// ErrForeignTable is returned by Open when the database already has an
	// events table that Parley did not create, such as Rasa's.
	ErrForeignTable = errors.New("mysql: the database already has an events table " +
		"that Parley did not create")
	// ErrSchemaTooNew is returned by Open when a newer Parley migrated the
	// database.
	ErrSchemaTooNew = errors.New("mysql: database schema is newer than this Parley")
	// ErrNoDatabase is returned by Open for a DSN that names no database.
	ErrNoDatabase = errors.New("mysql: no database named")
	// ErrMigrationLock is returned by Open when another process held the
	// migration lock for too long.
	ErrMigrationLock = errors.New("mysql: timed out waiting for the migration lock")
)

// MySQL server error numbers that this package treats specially.
const (
	errDeadlock         = 1213
	errTooManyConns     = 1040
	errServerShutdown   = 1053
	errConnectionKilled = 1927 // MariaDB: connection was killed
)

// wrap adds what was being done to err, and store.ErrUnavailable when the
// server could not be reached.
func wrap(doing string, err error) error {
	return sqlstore.Wrap(doing, err, unavailable)
}

// unavailable reports whether err means the server is down or the
// connection broke, rather than a problem with the statement or data.
func unavailable(err error) bool {
	var myErr *mysql.MySQLError
	if !errors.As(err, &myErr) {
		return true // no server answer: refused, reset, timed out
	}
	switch myErr.Number {
	case errTooManyConns, errServerShutdown, errConnectionKilled:
		return true
	}
	return false
}

// deadlock reports whether InnoDB chose this transaction as a deadlock
// victim; running it again is safe.
func deadlock(err error) bool {
	var myErr *mysql.MySQLError
	return errors.As(err, &myErr) && myErr.Number == errDeadlock
}
