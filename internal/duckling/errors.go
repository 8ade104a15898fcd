package duckling

import (
	"errors"
	"fmt"
)

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

// OptionError is a configuration error of one DucklingEntityExtractor
// option. It wraps ErrConfig.
type OptionError struct {
	// Option is the key of config.yml: "dimensions", "locale",
	// "timezone", "url", "use_remote" or "timeout".
	Option string
	// Problem says what is wrong with its value.
	Problem string
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("%v: %s: %s", ErrConfig, e.Option, e.Problem)
}

func (e *OptionError) Unwrap() error { return ErrConfig }

// optionError returns an *OptionError for option.
func optionError(option, format string, args ...any) error {
	return &OptionError{Option: option, Problem: fmt.Sprintf(format, args...)}
}
