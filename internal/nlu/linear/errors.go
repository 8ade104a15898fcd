package linear

import "errors"

// ErrInput is wrapped by errors about training data that cannot be used.
var ErrInput = errors.New("invalid training input")
