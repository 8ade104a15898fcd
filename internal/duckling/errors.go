package duckling

import "errors"

// Errors returned by this package; test them with errors.Is.
var (
	// ErrConfig is wrapped by every error about a DucklingEntityExtractor
	// setting: an unknown dimension, a malformed locale, an unknown
	// timezone, a bad timeout or URL.
	ErrConfig = errors.New("duckling: invalid configuration")
	// ErrRemote is wrapped by the warning ExtractContext returns when the
	// Duckling server could not be used and the built-in extractors
	// answered instead.
	ErrRemote = errors.New("duckling: remote server failed")
)
