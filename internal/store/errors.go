package store

import (
	"errors"

	"github.com/parley-chat/parley/internal/store/sqlstore"
)

// Errors returned by the stores; test them with errors.Is.
var (
	// ErrClosed is returned by a store used after Close.
	ErrClosed = sqlstore.ErrClosed
	// ErrUnknownKind is returned by Open for a store kind it does not know.
	ErrUnknownKind = errors.New("store: unknown kind")
	// ErrDataDirIsFile is returned when the data directory path names a
	// file rather than a directory.
	ErrDataDirIsFile = errors.New("store: data directory path is a file")
	// ErrSchemaTooNew is returned when the database was migrated by a newer
	// Parley than this one.
	ErrSchemaTooNew = errors.New("store: database schema is newer than this Parley")
)
