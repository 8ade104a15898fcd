package crf

import "errors"

// ErrInput is wrapped by errors about training data the tagger cannot use.
var ErrInput = errors.New("invalid tagger input")
