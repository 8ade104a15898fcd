package backup

import "errors"

// Errors returned by this package; test them with errors.Is.
var (
	// ErrNoDatabase is returned when there is no database to back up.
	ErrNoDatabase = errors.New("backup: no database")
	// ErrExists is returned when the backup file exists and overwriting
	// was not asked for.
	ErrExists = errors.New("backup: file exists")
	// ErrInUse is returned when a Parley process holds the data directory.
	ErrInUse = errors.New("backup: the data directory is in use")
	// ErrNotADatabase is returned when a file to restore is not a sound
	// Parley database.
	ErrNotADatabase = errors.New("backup: not a Parley database")
)
