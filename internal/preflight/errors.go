package preflight

import "errors"

// ErrNotWritable is wrapped by every *Error: a folder Parley must write to
// cannot be written.
var ErrNotWritable = errors.New("preflight: folder not writable")
