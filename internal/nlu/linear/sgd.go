package linear

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"

	"github.com/parley-chat/parley/internal/nlu/feature"
)

// sgdState is averaged stochastic gradient descent on the weights, kept
// lazily: the current weights are v/wDiv and their running average is
// (a + wFrac·v)/aDiv, so the L2 step and the averaging cost O(1) per
// example instead of a pass over every weight. The biases are not
// penalised and are averaged directly.
type sgdState struct {
	classes           int
	v, a              []float64
	b, bAvg           []float64
	wDiv, aDiv, wFrac float64
}

func newSGDState(dim, classes int) *sgdState {
	return &sgdState{classes: classes, v: make([]float64, dim*classes),
		a: make([]float64, dim*classes), b: make([]float64, classes),
		bAvg: make([]float64, classes), wDiv: 1, aDiv: 1}
}

// scores writes the current class scores of x into out.
func (s *sgdState) scores(x feature.Vector, out []float64) {
	c := s.classes
	clear(out)
	for n, f := range x.Idx {
		row := s.v[int(f)*c : int(f)*c+c]
		if c < asmClasses {
			xv := x.Val[n]
			for k, w := range row {
				out[k] += xv * w
			}
			continue
		}
		floats.AddScaled(out, x.Val[n], row)
	}
	inv := 1 / s.wDiv
	for k := range out {
		out[k] = out[k]*inv + s.b[k]
	}
}

// asmClasses is the number of classes from which the vector routines pay
// for their call.
const asmClasses = 16

// minResidual: classes whose residual is smaller than this are left out of
// a step. Late in training most classes have a probability near zero, and
// skipping them makes a step several times cheaper.
const minResidual = 1e-4

// step moves the weights of x's features by -eta·x·resid, after the L2
// shrink, and advances the average by rate mu.
func (s *sgdState) step(x feature.Vector, resid []float64, active []int, eta, lambda,
	mu float64) {
	s.wDiv /= 1 - eta*lambda
	if s.wDiv > 1e5 || s.aDiv > 1e5 {
		s.renormalize()
	}
	c := s.classes
	scale := -eta * s.wDiv
	dense := 2*len(active) > c && c >= asmClasses
	for n, f := range x.Idx {
		d := scale * x.Val[n]
		row := s.v[int(f)*c : int(f)*c+c]
		avg := s.a[int(f)*c : int(f)*c+c]
		if dense {
			floats.AddScaled(row, d, resid)
			if mu < 1 {
				// Before averaging starts, a stays zero.
				floats.AddScaled(avg, -s.wFrac*d, resid)
			}
			continue
		}
		for _, k := range active {
			row[k] += d * resid[k]
		}
		if mu < 1 {
			fd := s.wFrac * d
			for _, k := range active {
				avg[k] -= fd * resid[k]
			}
		}
	}
	for k, r := range resid {
		s.b[k] -= eta * r
		s.bAvg[k] += mu * (s.b[k] - s.bAvg[k])
	}
	if mu >= 1 {
		s.aDiv, s.wFrac = s.wDiv, 1
		return
	}
	s.aDiv /= 1 - mu
	s.wFrac += mu * s.aDiv / s.wDiv
}

func (s *sgdState) renormalize() {
	for i, v := range s.v {
		s.a[i] = (s.a[i] + s.wFrac*v) / s.aDiv
		s.v[i] = v / s.wDiv
	}
	s.wDiv, s.aDiv, s.wFrac = 1, 1, 0
}

// model returns the averaged weights as a Model.
func (s *sgdState) model(dim int) *Model {
	m := &Model{Classes: s.classes, Dim: dim, W: make([]float64, len(s.v)),
		B: append([]float64(nil), s.bAvg...)}
	for i := range m.W {
		m.W[i] = (s.a[i] + s.wFrac*s.v[i]) / s.aDiv
	}
	return m
}

// minSteps is the least number of example steps SGD makes, so that small
// data sets get enough passes to converge.
const minSteps = 5000

// trainSGD fits the model by averaged SGD on the mean log loss plus
// ||W||²/(2·C·n). Averaging starts after the first epoch.
func trainSGD(ctx context.Context, x []feature.Vector, y []int, classes, dim int,
	opts Options) (*Model, Stats, error) {
	n := len(x)
	epochs := max(opts.Epochs, (minSteps+n-1)/n)
	lambda := 1 / (opts.C * float64(n))
	st := newSGDState(dim, classes)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(0x1eaf^opts.Seed, uint64(n)))
	resid := make([]float64, classes)
	active := make([]int, 0, classes)
	eta0 := opts.Eta
	step, loss := 0, 0.0
	for epoch := 0; epoch < epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return nil, Stats{}, fmt.Errorf("training the intent classifier: %w", err)
		}
		rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		loss = 0
		for _, i := range order {
			// The cap keeps the L2 shrink factor 1-eta·λ at least 1/2.
			eta := min(eta0/math.Pow(1+lambda*eta0*float64(step), 0.75), 0.5/lambda)
			mu := 1.0
			if step > n {
				mu = 1 / float64(step-n)
			}
			step++
			st.scores(x[i], resid)
			Softmax(resid)
			w := 1.0
			if opts.Weights != nil {
				w = opts.Weights[i]
			}
			loss -= w * math.Log(max(resid[y[i]], 1e-300))
			resid[y[i]] -= 1
			active = active[:0]
			for k := range resid {
				resid[k] *= w
				if math.Abs(resid[k]) >= minResidual {
					active = append(active, k)
				}
			}
			st.step(x[i], resid, active, eta, lambda, mu)
		}
	}
	m := st.model(dim)
	m.Round32()
	return m, Stats{Iterations: epochs, Loss: loss / float64(n), Status: "epochs done"}, nil
}
