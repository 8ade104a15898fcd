package evaluate

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/project"
)

// Fold is the outcome of one cross-validation fold.
type Fold struct {
	Train, Test    int
	IntentAccuracy float64
}

// CrossValidate splits data into folds (stratified by intent, in an order
// seeded by seed), trains the pipeline of cfg on all folds but one and
// evaluates it on the one left out, for each fold in turn. The report
// pools the predictions of every fold; Folds lists each fold's figures.
func CrossValidate(ctx context.Context, data project.NLUData, cfg project.Config, folds int,
	seed uint64, opts pipeline.TrainOptions) (*Report, []Fold, error) {
	if folds < 2 {
		return nil, nil, fmt.Errorf("cross-validation needs at least 2 folds, got %d", folds)
	}
	if len(data.Examples) < folds {
		return nil, nil, fmt.Errorf("cross-validation with %d folds needs at least %d examples, "+
			"got %d", folds, folds, len(data.Examples))
	}
	assign := stratify(data.Examples, folds, seed)
	var c *collector
	var out []Fold
	for k := 0; k < folds; k++ {
		train, test := data, []project.Example{}
		train.Examples = nil
		for i, ex := range data.Examples {
			if assign[i] == k {
				test = append(test, ex)
			} else {
				train.Examples = append(train.Examples, ex)
			}
		}
		m, err := pipeline.Train(ctx, train, cfg, opts)
		if err != nil {
			return nil, nil, fmt.Errorf("fold %d: %w", k+1, err)
		}
		if c == nil {
			c = newCollector(m.Extractors())
		}
		before := len(c.r.IntentCorrect)
		if err := c.add(ctx, m, test); err != nil {
			return nil, nil, err
		}
		out = append(out, Fold{Train: len(train.Examples), Test: len(test),
			IntentAccuracy: share(c.r.IntentCorrect[before:])})
	}
	return c.finish(), out, nil
}

// stratify gives each example a fold: the examples of each intent are
// shuffled and dealt to the folds in turn, so every fold sees every intent
// in about the same share.
func stratify(exs []project.Example, folds int, seed uint64) []int {
	order := rand.New(rand.NewPCG(seed, 0xf01d)).Perm(len(exs))
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(baseIntent(exs[a].Intent), baseIntent(exs[b].Intent))
	})
	assign := make([]int, len(exs))
	for n, i := range order {
		assign[i] = n % folds
	}
	return assign
}

// share is the fraction of true values (0 for none).
func share(ok []bool) float64 {
	if len(ok) == 0 {
		return 0
	}
	n := 0
	for _, b := range ok {
		if b {
			n++
		}
	}
	return float64(n) / float64(len(ok))
}
