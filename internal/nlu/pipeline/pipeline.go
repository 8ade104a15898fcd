// Package pipeline trains and runs the NLU pipeline a project's config.yml
// describes.
package pipeline

import (
	"context"
	"io"

	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/project"
)

// Progress reports training progress: the stage name, how much of it is done
// and its total (total 0 means unknown).
type Progress func(stage string, done, total int)

// TrainOptions tunes training.
type TrainOptions struct {
	Progress Progress
	// Warn receives one call per warning (a component replaced, an
	// annotation that does not line up with tokens, ...).
	Warn func(project.Diagnostic)
}

// Model is a trained NLU pipeline. It is safe for concurrent Parse calls.
type Model struct {
	// TODO: filled by the NLU pipeline implementation.
}

// Train fits the pipeline of cfg on data.
func Train(ctx context.Context, data project.NLUData, cfg project.Config, opts TrainOptions) (*Model, error) {
	return &Model{}, nil
}

// Parse understands one message.
func (m *Model) Parse(text string) nlu.Parse {
	return nlu.Parse{Text: text}
}

// WriteTo serialises the model.
func (m *Model) WriteTo(w io.Writer) (int64, error) { return 0, nil }

// Read loads a model written by WriteTo.
func Read(r io.Reader) (*Model, error) { return &Model{}, nil }
