package pipeline

import (
	"errors"
	"fmt"

	"github.com/parley-chat/parley/internal/project"
)

var (
	// ErrConfig is wrapped by errors about the pipeline in config.yml.
	ErrConfig = errors.New("invalid NLU pipeline")
	// ErrModel is wrapped by errors about a saved model that cannot be read.
	ErrModel = errors.New("invalid NLU model")
)

// ConfigError is a problem with one component of the pipeline, at its
// place in config.yml. It wraps ErrConfig.
type ConfigError struct {
	Pos     project.Pos
	Message string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("%v: %s: %s", ErrConfig, posOr(e.Pos, "config.yml"), e.Message)
}

func (e *ConfigError) Unwrap() error { return ErrConfig }
