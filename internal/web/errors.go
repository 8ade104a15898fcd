package web

import "errors"

// Errors of the web app; test them with errors.Is.
var (
	// ErrNoSession means no session has the given key (or it expired).
	ErrNoSession = errors.New("web: no such session")
	// ErrNoUser means no inspector login has the given name.
	ErrNoUser = errors.New("web: no such user")
	// ErrUserExists means a login with that name exists already.
	ErrUserExists = errors.New("web: user already exists")
	// ErrBadUserName means a user name is empty, too long or has
	// characters other than letters, digits and ._@-.
	ErrBadUserName = errors.New("web: bad user name")
	// ErrWeakPassword means a password is shorter than MinPasswordLength.
	ErrWeakPassword = errors.New("web: password too short")
	// ErrSetting means a web setting (an environment variable) is invalid.
	ErrSetting = errors.New("web: invalid setting")
	// ErrNoSecretKey means production mode was asked for without a secret
	// key.
	ErrNoSecretKey = errors.New("web: no secret key")
	// ErrUnavailable means the bot cannot answer now (no model loaded yet,
	// or training); its message is shown to the user.
	ErrUnavailable = errors.New("web: bot unavailable")
	// ErrNoModelTrained means a retraining returned neither a model nor
	// an error.
	ErrNoModelTrained = errors.New("web: training returned no model")
)
