package crf

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/optimize"
)

// objective is the penalised negative log-likelihood of the training data.
type objective struct {
	m       *Model
	sc      *scheme
	samples []encoded
	l2      float64
	ctx     context.Context
	lastX   []float64
	lastF   float64
	lastG   []float64
}

// lbfgs minimises the objective with L-BFGS from zero weights.
func (o *objective) lbfgs(maxIter int) ([]float64, int, float64, error) {
	init := make([]float64, paramCount(o.m.pairs(), o.sc.labels(), len(o.m.Entities)))
	res, err := optimize.Minimize(optimize.Problem{Func: o.fn, Grad: o.grad}, init,
		&optimize.Settings{MajorIterations: maxIter, GradientThreshold: 1e-5,
			Converger: &optimize.FunctionConverge{Relative: 1e-6, Iterations: 5}},
		&optimize.LBFGS{Store: 10})
	if o.ctx.Err() != nil {
		return nil, 0, 0, fmt.Errorf("training the CRF: %w", o.ctx.Err())
	}
	if res == nil {
		return nil, 0, 0, fmt.Errorf("training the CRF: %w", err)
	}
	// Iteration limits and stalls still leave a usable optimum.
	return res.X, res.Stats.MajorIterations, res.F, nil
}

func (o *objective) fn(w []float64) float64 {
	if o.lastX != nil && slices.Equal(o.lastX, w) {
		return o.lastF
	}
	if o.lastG == nil {
		o.lastG = make([]float64, len(w))
	}
	o.lastF = o.evaluate(w, o.lastG)
	o.lastX = append(o.lastX[:0], w...)
	return o.lastF
}

func (o *objective) grad(g, w []float64) {
	o.fn(w)
	copy(g, o.lastG)
}

// chunks is fixed so that the sums do not depend on the number of CPUs.
const chunks = 8

func (o *objective) evaluate(w, g []float64) float64 {
	if o.ctx.Err() != nil {
		return math.NaN()
	}
	phi := o.sc.transitionPotentials(w, o.m.pairs())
	losses := make([]float64, chunks)
	grads := make([][]float64, chunks)
	var wg sync.WaitGroup
	next := make(chan int, chunks)
	for k := range chunks {
		next <- k
	}
	close(next)
	for range min(runtime.GOMAXPROCS(0), chunks) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				lo, hi := len(o.samples)*k/chunks, len(o.samples)*(k+1)/chunks
				grads[k] = make([]float64, len(w))
				losses[k] = o.chunk(w, phi, grads[k], o.samples[lo:hi])
			}
		}()
	}
	wg.Wait()
	loss := 0.0
	clear(g)
	for k := range chunks {
		loss += losses[k]
		for i, v := range grads[k] {
			g[i] += v
		}
	}
	for i, v := range w {
		loss += o.l2 * v * v
		g[i] += 2 * o.l2 * v
	}
	return loss
}

// chunk adds the loss and gradient of some samples.
func (o *objective) chunk(w, phi, g []float64, samples []encoded) float64 {
	loss := 0.0
	lt := newLattice(o.sc.labels())
	for i := range samples {
		s := &samples[i]
		lt.load(s)
		o.m.emit(lt, w)
		o.m.forward(lt, o.sc, phi)
		zf := o.m.backward(lt, o.sc, phi)
		loss += lt.logZ(zf) - o.goldScore(lt, w, s.gold)
		o.expectations(lt, phi, g, zf, s.gold, 1)
	}
	return loss
}

// goldScore is the score of the gold label sequence.
func (o *objective) goldScore(lt *lattice, w []float64, gold []int) float64 {
	s := 0.0
	for t, y := range gold {
		if !lt.only[t] {
			s += lt.score[t*lt.labels+y]
		}
		s += w[o.transIndex(gold, t, lt.labels)]
	}
	return s
}

// transIndex is the index of the transition weight into gold[t].
func (o *objective) transIndex(gold []int, t, labels int) int {
	P, y := o.m.pairs(), gold[t]
	if t == 0 {
		return startIndex(P, labels, tagBOS, y)
	}
	prev := o.sc.tag(gold[t-1])
	if slot := o.sc.insideSlot(prev, y); slot >= 0 && o.sc.entity(y) == o.sc.entity(gold[t-1]) {
		return insideIndex(P, labels, o.sc.entity(y), slot)
	}
	return startIndex(P, labels, prev, y)
}

// sink receives a gradient: entry i grows by k·x in g and, when avg is
// set (averaged SGD), by -frac·k·x in avg.
type sink struct {
	g, avg  []float64
	k, frac float64
}

func (s *sink) add(i int, x float64) {
	d := s.k * x
	s.g[i] += d
	if s.avg != nil {
		s.avg[i] -= s.frac * d
	}
}

// addPairs adds the marginal probability of each label at token t to the
// token's pair weights.
func (s *sink) addPairs(m *Model, lt *lattice, t int, inZ float64) {
	L := lt.labels
	alpha, beta, marg := lt.alpha[t*L:(t+1)*L], lt.beta[t*L:(t+1)*L], lt.u2
	for y := range marg {
		marg[y] = s.k * alpha[y] * beta[y] * inZ
	}
	for _, a := range lt.tokenAttrs(t) {
		lo, hi := m.PairStart[a], m.PairStart[a+1]
		g, labels := s.g[lo:hi], m.PairLabel[lo:hi]
		for p, y := range labels {
			g[p] += marg[y]
		}
		if s.avg != nil {
			avg := s.avg[lo:hi]
			for p, y := range labels {
				avg[p] -= s.frac * marg[y]
			}
		}
	}
}

// addStarts adds a·row[y]·u[y] to the start weights from offset off on
// (row is zero for labels that cannot start).
func (s *sink) addStarts(off int, a float64, row, u []float64) {
	a *= s.k
	g := s.g[off : off+len(row)]
	for y, p := range row {
		g[y] += a * p * u[y]
	}
	if s.avg != nil {
		avg := s.avg[off : off+len(row)]
		for y, p := range row {
			avg[y] -= s.frac * a * p * u[y]
		}
	}
}

// expectations adds expected minus observed feature counts to g.
// The counts are multiplied by k before they are added.
func (o *objective) expectations(lt *lattice, phi, g []float64, zf float64, gold []int,
	k float64) {
	o.expectationsInto(lt, phi, &sink{g: g, k: k}, zf, gold)
}

// expectationsInto sends expected minus observed feature counts to s.
func (o *objective) expectationsInto(lt *lattice, phi []float64, s *sink, zf float64,
	gold []int) {
	L, P, sc, m := lt.labels, o.m.pairs(), o.sc, o.m
	u := lt.u
	inZ := 1 / zf
	inPhi := phi[numGroups*L:]
	for t := 0; t < lt.n; t++ {
		inv := inZ / lt.scale[t]
		groupSums(lt, sc, t)
		groups := activeGroups(lt, sc, t)
		if lt.only[t] {
			u0 := lt.beta[t*L] * inv
			for _, gr := range groups {
				s.add(P+gr*L, lt.groups[gr]*phi[gr*L]*u0)
			}
			s.add(o.transIndex(gold, t, L), -1)
			continue
		}
		for y := 0; y < L; y++ {
			u[y] = lt.psi[t*L+y] * lt.beta[t*L+y] * inv
		}
		s.addPairs(m, lt, t, inZ)
		for _, gr := range groups {
			s.addStarts(P+gr*L, lt.groups[gr], phi[gr*L:(gr+1)*L], u)
		}
		if t > 0 && !lt.only[t-1] {
			prev := lt.alpha[(t-1)*L : t*L]
			for _, st := range sc.inside {
				s.add(P+numGroups*L+st.param, prev[st.prev]*inPhi[st.param]*u[st.y])
			}
		}
		o.subtractGold(lt, s, gold, t)
	}
}

// subtractGold removes the observed counts of token t.
func (o *objective) subtractGold(lt *lattice, s *sink, gold []int, t int) {
	m := o.m
	for _, a := range lt.tokenAttrs(t) {
		lo, hi := m.PairStart[a], m.PairStart[a+1]
		if p, ok := slices.BinarySearch(m.PairLabel[lo:hi], int32(gold[t])); ok {
			s.add(int(lo)+p, -1)
		}
	}
	s.add(o.transIndex(gold, t, lt.labels), -1)
}
