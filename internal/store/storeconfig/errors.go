package storeconfig

import "errors"

// Errors of this package; test them with errors.Is.
var (
	// ErrUnknownType is returned for a type (or SQL dialect) Parley does
	// not have.
	ErrUnknownType = errors.New("storeconfig: unknown type")
	// ErrBadSetting is returned for a key whose value cannot be used.
	ErrBadSetting = errors.New("storeconfig: bad setting")
	// ErrRasaSQLiteFile is returned when an SQLite tracker store names a
	// database file, such as Rasa's rasa.db, where Parley wants its data
	// directory.
	ErrRasaSQLiteFile = errors.New("storeconfig: db names a file")
	// ErrNotSQLite is returned by SQLiteDir for a tracker store that is not
	// Parley's SQLite.
	ErrNotSQLite = errors.New("storeconfig: the tracker store is not SQLite")
)
