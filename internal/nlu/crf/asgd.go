package crf

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// averager holds the state of averaged stochastic gradient descent with
// an L2 penalty, kept lazily so that a step costs time in the number of
// weights it touches. The current weights are v/wDiv; their running
// average is (a + wFrac·v)/aDiv.
type averager struct {
	v, a              []float64
	wDiv, aDiv, wFrac float64
}

func newAverager(n int) *averager {
	return &averager{v: make([]float64, n), a: make([]float64, n), wDiv: 1, aDiv: 1}
}

// shrink applies the L2 penalty's step to every weight at once.
func (s *averager) shrink(eta, lambda float64) {
	s.wDiv /= 1 - eta*lambda
	if s.wDiv > 1e5 || s.aDiv > 1e5 {
		s.renormalize()
	}
}

// renormalize folds the divisors into the vectors.
func (s *averager) renormalize() {
	for i := range s.v {
		s.a[i] = (s.a[i] + s.wFrac*s.v[i]) / s.aDiv
		s.v[i] /= s.wDiv
	}
	s.wDiv, s.aDiv, s.wFrac = 1, 1, 0
}

// average advances the running average by one step of rate mu (1 before
// averaging starts).
func (s *averager) average(mu float64) {
	if mu >= 1 {
		// a is still zero: nothing was averaged yet.
		s.aDiv, s.wFrac = s.wDiv, 1
		return
	}
	s.aDiv /= 1 - mu
	s.wFrac += mu * s.aDiv / s.wDiv
}

// result returns the averaged weights.
func (s *averager) result() []float64 {
	out := make([]float64, len(s.v))
	for i := range out {
		out[i] = (s.a[i] + s.wFrac*s.v[i]) / s.aDiv
	}
	return out
}

// asgdEta0 is the initial step size; the step decays as
// eta0/(1+λ·eta0·t)^0.75.
const asgdEta0 = 0.1

// minSteps is the least number of sentence steps, so that small data sets
// get enough passes.
const minSteps = 20000

// transitionRefresh is how many steps the transition potentials are kept
// before they are recomputed: they change slowly, and their exponentials
// would otherwise cost as much as the rest of a step.
const transitionRefresh = 8

// asgd minimises the objective by averaged stochastic gradient descent,
// one sentence at a time, in an order seeded by seed. Averaging starts
// after the first epoch.
func (o *objective) asgd(ctx context.Context, epochs int, seed uint64) ([]float64, error) {
	P, L := o.m.pairs(), o.sc.labels()
	n := paramCount(P, L, len(o.m.Entities))
	st := newAverager(n)
	N := len(o.samples)
	epochs = max(epochs, (minSteps+N-1)/N)
	lambda := 2 * o.l2 / float64(N)
	order := make([]int, N)
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(0x5eed^seed, uint64(N)))
	lt := newLattice(L)
	phi := make([]float64, n-P)
	step := 0
	for epoch := 0; epoch < epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("training the CRF: %w", err)
		}
		rng.Shuffle(N, func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			eta := asgdEta0 / math.Pow(1+lambda*asgdEta0*float64(step), 0.75)
			if lambda > 0 {
				// The cap keeps the L2 shrink factor 1-eta·λ at least 1/2.
				eta = min(eta, 0.5/lambda)
			}
			mu := 1.0
			if step > N {
				mu = 1 / float64(step-N)
			}
			if step%transitionRefresh == 0 {
				o.transitionsInto(phi, st)
			}
			step++
			o.sgdStep(lt, &o.samples[i], st, phi, eta, lambda, mu)
			st.average(mu)
		}
	}
	return st.result(), nil
}

// sgdStep makes one stochastic step on sentence s.
func (o *objective) sgdStep(lt *lattice, s *encoded, st *averager, phi []float64,
	eta, lambda, mu float64) {
	lt.load(s)
	o.m.emitScaled(lt, st.v, st.wDiv)
	o.m.forward(lt, o.sc, phi)
	zf := o.m.backward(lt, o.sc, phi)
	st.shrink(eta, lambda)
	// The lattice is fixed now, so the step can go straight into the weights.
	sk := &sink{g: st.v, k: -eta * st.wDiv}
	if mu < 1 {
		// Before averaging starts, a stays zero.
		sk.avg, sk.frac = st.a, st.wFrac
	}
	o.expectationsInto(lt, phi, sk, zf, s.gold)
}

// transitionsInto writes the transition potentials of the current weights
// into phi.
func (o *objective) transitionsInto(phi []float64, st *averager) {
	o.sc.potentials(st.v, o.m.pairs(), st.wDiv, phi)
}
