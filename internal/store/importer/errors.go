package importer

import "errors"

// Errors of the importer; test them with errors.Is.
var (
	// ErrNoEventsTable is returned by OpenSQL for a database without
	// Rasa's events table.
	ErrNoEventsTable = errors.New("importer: the database has no events table")
	// ErrUnreadableEvent is wrapped by Import's error for an event whose
	// JSON cannot be read.
	ErrUnreadableEvent = errors.New("importer: unreadable event")
	// ErrNotRasaStore is returned by OpenSource for a tracker_store section
	// the importer cannot read.
	ErrNotRasaStore = errors.New("importer: not a readable Rasa tracker store")
)
