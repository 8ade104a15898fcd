package regex

import "errors"

// ErrPattern is wrapped by errors about a regex that cannot be compiled.
var ErrPattern = errors.New("invalid regex")
