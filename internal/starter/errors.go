package starter

import "errors"

// ErrExists is wrapped by Write when a starter file is already present and
// force is not set.
var ErrExists = errors.New("file already exists")
