package storytest

import "errors"

// ErrInput is wrapped by errors about what Run was given.
var ErrInput = errors.New("storytest: cannot evaluate")
