package pipeline

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/parley-chat/parley/internal/nlu/feature"
	"github.com/parley-chat/parley/internal/nlu/linear"
)

// Calibration: the classifier's scores are divided by a temperature fitted
// on examples it was not trained on, so that a confidence of 0.8 is right
// about 80% of the time. Small data sets are cross-validated in
// calibrationFolds folds; from calibrationSplitSize examples on, one fold
// is held out once. On small data the same folds choose C among
// candidateC (when the config gives none): the one with the lowest
// held-out log loss after temperature scaling.
const (
	calibrationFolds     = 5
	calibrationSplitSize = 2000
	calibrationMinSize   = 20
)

// candidateC are the values of C cross-validation chooses from.
var candidateC = []float64{10, 100, 1000}

// calibration fits the temperature (and on small data C) of the intent
// classifier on held-out folds of its training data.
type calibration struct {
	xs      []feature.Vector
	ys      []int
	classes int
	dim     int
	opts    linear.Options
	// c and temp are the results.
	c, temp float64
}

// run sets c and temp.
func (cal *calibration) run(ctx context.Context) error {
	cal.c, cal.temp = cal.opts.C, 1
	if cal.c == 0 {
		cal.c = defaultC
	}
	if len(cal.xs) < calibrationMinSize || cal.classes < 2 {
		return nil
	}
	cands := []float64{cal.c}
	if cal.opts.C == 0 {
		cands = candidateC
	}
	best := math.Inf(1)
	for _, c := range cands {
		opts := cal.opts
		opts.C = c
		scores, labels, err := cal.heldOut(ctx, opts)
		if err != nil {
			return err
		}
		if t, loss := fitTemperature(scores, labels); loss < best {
			best, cal.c, cal.temp = loss, c, t
		}
	}
	return nil
}

// heldOut returns the scores of models trained like the final one on the
// examples they did not see, with those examples' labels.
func (cal *calibration) heldOut(ctx context.Context, opts linear.Options) ([][]float64,
	[]int, error) {
	n := len(cal.xs)
	order := rand.New(rand.NewPCG(0xca1b^opts.Seed, uint64(n))).Perm(n)
	folds := calibrationFolds
	if n >= calibrationSplitSize {
		folds = 1
	}
	var scores [][]float64
	var labels []int
	for k := 0; k < folds; k++ {
		var trX, teX []feature.Vector
		var trY, teY []int
		for pos, i := range order {
			if pos%calibrationFolds == k {
				teX, teY = append(teX, cal.xs[i]), append(teY, cal.ys[i])
			} else {
				trX, trY = append(trX, cal.xs[i]), append(trY, cal.ys[i])
			}
		}
		m, _, err := linear.Train(ctx, trX, trY, cal.classes, cal.dim, opts)
		if err != nil {
			return nil, nil, fmt.Errorf("calibrating: %w", err)
		}
		for i, x := range teX {
			s := make([]float64, cal.classes)
			m.Scores(x, s)
			scores, labels = append(scores, s), append(labels, teY[i])
		}
	}
	return scores, labels, nil
}

// fitTemperature finds the temperature T in [0.05, 20] minimising the mean
// log loss of softmax(scores/T), by golden-section search on log T, and
// returns it with that loss.
func fitTemperature(scores [][]float64, labels []int) (float64, float64) {
	p := make([]float64, 0, 64)
	loss := func(logT float64) float64 {
		inv := math.Exp(-logT)
		total := 0.0
		for i, s := range scores {
			p = p[:0]
			for _, v := range s {
				p = append(p, v*inv)
			}
			linear.Softmax(p)
			total -= math.Log(max(p[labels[i]], 1e-300))
		}
		return total / float64(max(len(scores), 1))
	}
	lo, hi := math.Log(0.05), math.Log(20)
	g := (math.Sqrt(5) - 1) / 2
	a, b := hi-g*(hi-lo), lo+g*(hi-lo)
	fa, fb := loss(a), loss(b)
	for range 40 {
		if fa < fb {
			hi, b, fb = b, a, fa
			a = hi - g*(hi-lo)
			fa = loss(a)
		} else {
			lo, a, fa = a, b, fb
			b = lo + g*(hi-lo)
			fb = loss(b)
		}
	}
	// Rounded so that the saved model reproduces the parse bit for bit.
	t := float64(float32(math.Exp((lo + hi) / 2)))
	return t, loss(math.Log(t))
}
