package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/parley-chat/parley/internal/nlu/feature"
	"github.com/parley-chat/parley/internal/nlu/linear"
	"github.com/parley-chat/parley/internal/nlu/regex"
)

// featurize returns the intent feature vectors of the training examples.
func (t *trainer) featurize(m *Model) []feature.Vector {
	xs := make([]feature.Vector, len(t.data.Examples))
	for i := range t.data.Examples {
		xs[i] = m.st.Featurizer.Transform(t.tokens[i], m.patternHits(t.matches[i]))
	}
	return xs
}

// fitFeaturizer builds the intent featurizer's vocabulary.
func (t *trainer) fitFeaturizer(m *Model) error {
	blocks, err := featureBlocks(m.st.Spec.CountVectors)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	m.st.Featurizer = feature.New(blocks)
	patterns := 0
	if m.st.Spec.RegexFeatures {
		patterns = len(m.matchers.Matchers)
	}
	m.st.Featurizer.Fit(t.tokens, patterns)
	return nil
}

// trainIntents fits the intent classifier and its temperature.
func (t *trainer) trainIntents(ctx context.Context, m *Model) error {
	spec := m.st.Spec.Intent
	if spec == nil || len(m.st.Intents) == 0 || m.st.Featurizer == nil {
		return nil
	}
	var xs []feature.Vector
	var ys []int
	for i, ex := range t.data.Examples {
		if ex.Intent == "" {
			continue
		}
		y, _ := slices.BinarySearch(m.st.Intents, baseIntent(ex.Intent))
		xs, ys = append(xs, t.features[i]), append(ys, y)
	}
	opts := linear.Options{C: spec.C, Epochs: spec.Epochs, Seed: uint64(spec.Seed)}
	model, stats, cal, err := fitIntents(ctx, xs, ys, len(m.st.Intents),
		m.st.Featurizer.Dim(), opts)
	if err != nil {
		return fmt.Errorf("training the intent classifier: %w", err)
	}
	t.log.Debug("intent classifier trained", "component", spec.Name,
		"features", m.st.Featurizer.Dim(), "epochs", stats.Iterations, "loss", stats.Loss,
		"C", cal.c, "temperature", cal.temp)
	m.st.Classifier = model
	m.st.Temperature = cal.temp
	return nil
}

// fitIntents trains the classifier and calibrates it. When C is known (given,
// or Parley's default on large data) the final model trains while the
// temperature is fitted; otherwise cross-validation chooses C first.
func fitIntents(ctx context.Context, xs []feature.Vector, ys []int, classes, dim int,
	opts linear.Options) (*linear.Model, linear.Stats, *calibration, error) {
	if opts.C == 0 && len(xs) >= calibrationSplitSize {
		opts.C = defaultC
	}
	cal := &calibration{xs: xs, ys: ys, classes: classes, dim: dim, opts: opts}
	if opts.C == 0 {
		if err := cal.run(ctx); err != nil {
			return nil, linear.Stats{}, nil, err
		}
		opts.C = cal.c
		model, stats, err := linear.Train(ctx, xs, ys, classes, dim, opts)
		return model, stats, cal, err
	}
	var model *linear.Model
	var stats linear.Stats
	var err error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		model, stats, err = linear.Train(ctx, xs, ys, classes, dim, opts)
	}()
	calErr := cal.run(ctx)
	wg.Wait()
	return model, stats, cal, errors.Join(err, calErr)
}

// patternHits returns the indices of the regexes and lookup tables among
// matches, when RegexFeaturizer is on.
func (m *Model) patternHits(matches []regex.Match) []int {
	if !m.st.Spec.RegexFeatures {
		return nil
	}
	var hits []int
	for _, h := range matches {
		hits = append(hits, h.Pattern)
	}
	return hits
}
