package tracker

import "errors"

// ErrVerbosity is returned by ParseVerbosity for an unknown name.
var ErrVerbosity = errors.New("tracker: unknown event verbosity")
