package pipeline

import "errors"

var (
	// ErrConfig is wrapped by errors about the pipeline in config.yml.
	ErrConfig = errors.New("invalid NLU pipeline")
	// ErrModel is wrapped by errors about a saved model that cannot be read.
	ErrModel = errors.New("invalid NLU model")
)
