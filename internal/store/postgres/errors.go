package postgres

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/parley-chat/parley/internal/store/sqlstore"
)

// Errors of this package; test them with errors.Is.
var (
	// ErrForeignTable is returned by Open when the schema already has an
	// events table that Parley did not create, such as Rasa's.
	ErrForeignTable = errors.New("postgres: the schema already has an events table " +
		"that Parley did not create")
	// ErrSchemaTooNew is returned by Open when a newer Parley migrated the
	// database.
	ErrSchemaTooNew = errors.New("postgres: database schema is newer than this Parley")
)

// wrap adds what was being done to err, and store.ErrUnavailable when the
// server could not be reached. A nil err stays nil.
func wrap(doing string, err error) error {
	return sqlstore.Wrap(doing, err, unavailable)
}

// unavailable reports whether err means the server is down or the
// connection broke, rather than a problem with the statement or data.
func unavailable(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return true // no server answer: refused, reset, timed out
	}
	switch {
	case len(pgErr.Code) >= 2 && pgErr.Code[:2] == "08": // connection exception
		return true
	case pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03", // shutdown
		pgErr.Code == "53300": // too many connections
		return true
	}
	return false
}
