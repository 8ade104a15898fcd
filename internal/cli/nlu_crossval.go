package cli

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/nlu/evaluate"
	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/project"
)

// crossValidationSeed orders the examples before they are dealt to folds.
const crossValidationSeed = 42

// crossValidateNLU is `parley test nlu --cross-validation`: it trains the
// configured pipeline on all folds but one of the NLU data (-u), evaluates
// on the one left out, for every fold, and writes the pooled reports.
func (a *app) crossValidateNLU(ctx context.Context, f *testFlags, folds int, out string) error {
	p, err := a.loadProject(&f.serve.project)
	if err != nil {
		return err
	}
	data := p.NLU
	if !slices.Equal(f.nlu, f.serve.project.data) {
		other := f.serve.project
		other.data = f.nlu
		q, err := a.loadProject(&other)
		if err != nil {
			return err
		}
		data = q.NLU
	}
	rep, per, err := evaluate.CrossValidate(ctx, data, p.Config, folds, crossValidationSeed,
		pipeline.TrainOptions{Logger: a.log, Responses: domainResponses(p)})
	if err != nil {
		return fmt.Errorf("cross-validating NLU: %w", err)
	}
	if err := rep.WriteFiles(out); err != nil {
		return fmt.Errorf("writing the NLU reports: %w", err)
	}
	if !f.noPlot {
		if err := rep.WritePlots(out); err != nil {
			return fmt.Errorf("writing the NLU plots: %w", err)
		}
	}
	accs := make([]float64, len(per))
	for i, fold := range per {
		accs[i] = fold.IntentAccuracy
		fmt.Fprintf(a.env.Stdout, "Fold %d: trained on %d, tested on %d: intent accuracy %.3f\n",
			i+1, fold.Train, fold.Test, fold.IntentAccuracy)
	}
	mean, sd := meanSD(accs)
	fmt.Fprintf(a.env.Stdout, "NLU cross-validation (%d folds): intent accuracy %.3f ± %.3f, "+
		"pooled %.3f, entity F1 %.3f.\nReports written to %s.\n", folds, mean, sd,
		rep.IntentAccuracy, rep.EntityF1(), a.relToProject(out))
	return nil
}

// domainResponses returns the project's responses for the response
// selector (nil without a domain).
func domainResponses(p *project.Project) map[string][]domain.Response {
	if p.Domain == nil {
		return nil
	}
	return p.Domain.Responses
}

func meanSD(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return m, math.Sqrt(v / float64(len(xs)))
}
