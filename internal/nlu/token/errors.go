package token

import "errors"

// ErrPattern is wrapped by every error about a token pattern that cannot be
// used.
var ErrPattern = errors.New("invalid token pattern")
