// Package policy predicts the next action of a conversation from its tracker:
// rule, memoization and learned policies combined with Rasa's priorities.
package policy

import (
	"context"
	"io"

	"github.com/parley-chat/parley/internal/project"
)

// Progress reports training progress: the stage name, how much of it is done
// and its total (total 0 means unknown).
type Progress func(stage string, done, total int)

// TrainOptions tunes training.
type TrainOptions struct {
	Progress Progress
	Warn     func(project.Diagnostic)
}

// Ensemble is the trained set of policies a config names.
type Ensemble struct {
	// TODO: filled by the dialogue implementation.
}

// Train fits the policies of p.Config on p's stories and rules.
func Train(ctx context.Context, p *project.Project, opts TrainOptions) (*Ensemble, error) {
	return &Ensemble{}, nil
}

// WriteTo serialises the ensemble.
func (e *Ensemble) WriteTo(w io.Writer) (int64, error) { return 0, nil }

// Read loads an ensemble written by WriteTo.
func Read(r io.Reader) (*Ensemble, error) { return &Ensemble{}, nil }
