package settings

import "errors"

// Errors returned by this package; test them with errors.Is.
var (
	// ErrInvalid is wrapped by every error about a value that cannot be
	// used (a bad number, an unknown mode, an unreadable secret file, ...).
	ErrInvalid = errors.New("settings: invalid value")
	// ErrProduction is wrapped by the error CheckProduction returns when
	// production mode refuses the configuration.
	ErrProduction = errors.New("settings: refused in production mode")
)
