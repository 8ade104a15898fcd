package feature

import "errors"

// ErrOption is wrapped by every error about a featurizer setting.
var ErrOption = errors.New("invalid featurizer option")
