package policy

import (
	"context"
	"math"
	"math/rand/v2"
)

// Optimiser settings of the learned policy. They are fixed: the bots this
// policy is meant for train in well under a second with them.
const (
	adamRate    = 0.01
	adamBeta1   = 0.9
	adamBeta2   = 0.999
	adamEps     = 1e-8
	weightDecay = 1e-4
	batchSize   = 32
	// inputDropout is the chance that a present feature is hidden from
	// one training step, so that no single feature carries a prediction.
	inputDropout = 0.1
)

// sample is one deduplicated training example: the sorted indices of its
// features and the index of its action.
type sample struct {
	x []int
	y int
}

// trainer fits a net with mini-batch Adam. The input rows are updated
// lazily: only rows of features present in a batch move.
type trainer struct {
	n   *net
	rng *rand.Rand
	t   int
	// first and second moments, laid out as the weights.
	mW1, vW1, mB1, vB1, mW2, vW2, mB2, vB2, mV, vV []float64
	// gradients of one batch; gW1 is only valid on touched rows.
	gW1, gB1, gW2, gB2, gV []float64
	touched                []int
	isTouched              []bool
	// scratch
	h, probs, dz, dh []float64
	xs               []int
}

func newTrainer(n *net, rng *rand.Rand) *trainer {
	z := func(k int) []float64 { return make([]float64, k) }
	w1, w2 := len(n.W1), len(n.W2)
	return &trainer{n: n, rng: rng,
		mW1: z(w1), vW1: z(w1), mB1: z(n.Hidden), vB1: z(n.Hidden),
		mW2: z(w2), vW2: z(w2), mB2: z(n.Out), vB2: z(n.Out),
		mV: z(len(n.V)), vV: z(len(n.V)), gV: z(len(n.V)),
		gW1: z(w1), gB1: z(n.Hidden), gW2: z(w2), gB2: z(n.Out),
		isTouched: make([]bool, n.In),
		h:         z(n.Hidden), probs: z(n.Out), dz: z(n.Out), dh: z(n.Hidden)}
}

// epoch runs one pass over samples in a seeded order.
func (tr *trainer) epoch(samples []sample, order []int) {
	tr.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	for start := 0; start < len(order); start += batchSize {
		tr.batch(samples, order[start:min(start+batchSize, len(order))])
	}
}

// batch accumulates the gradient of the mean loss over the batch and
// takes one Adam step.
func (tr *trainer) batch(samples []sample, idx []int) {
	clear(tr.gB1)
	clear(tr.gW2)
	clear(tr.gB2)
	scale := 1 / float64(len(idx))
	for _, i := range idx {
		tr.backprop(samples[i], scale)
	}
	tr.t++
	tr.step()
}

// backprop adds one sample's gradient, scaled, to the batch gradient.
func (tr *trainer) backprop(s sample, scale float64) {
	n := tr.n
	x := tr.dropout(s.x)
	n.forward(x, tr.h, tr.probs)
	for a, p := range tr.probs {
		tr.dz[a] = p * scale
	}
	tr.dz[s.y] -= scale
	clear(tr.dh)
	for a, d := range tr.dz {
		tr.gB2[a] += d
		row := n.W2[a*n.Hidden : (a+1)*n.Hidden]
		g := tr.gW2[a*n.Hidden : (a+1)*n.Hidden]
		for j, hv := range tr.h {
			g[j] += d * hv
			tr.dh[j] += d * row[j]
		}
	}
	for j, hv := range tr.h {
		if hv <= 0 {
			tr.dh[j] = 0
		}
		tr.gB1[j] += tr.dh[j]
	}
	for _, f := range x {
		if !tr.isTouched[f] {
			tr.isTouched[f] = true
			tr.touched = append(tr.touched, f)
			clear(tr.gW1[f*n.Hidden : (f+1)*n.Hidden])
			clear(tr.gV[f*n.Out : (f+1)*n.Out])
		}
		g := tr.gW1[f*n.Hidden : (f+1)*n.Hidden]
		v := n.scale(f)
		for j, d := range tr.dh {
			g[j] += v * d
		}
		gv := tr.gV[f*n.Out : (f+1)*n.Out]
		for a, d := range tr.dz {
			gv[a] += v * d
		}
	}
}

// dropout returns x with each feature left out with inputDropout chance
// (x whole when that would leave nothing).
func (tr *trainer) dropout(x []int) []int {
	tr.xs = tr.xs[:0]
	for _, f := range x {
		if tr.rng.Float64() >= inputDropout {
			tr.xs = append(tr.xs, f)
		}
	}
	if len(tr.xs) == 0 {
		return x
	}
	return tr.xs
}

// step applies Adam with decoupled weight decay to every weight that has a
// gradient.
func (tr *trainer) step() {
	c1 := 1 - math.Pow(adamBeta1, float64(tr.t))
	c2 := 1 - math.Pow(adamBeta2, float64(tr.t))
	n := tr.n
	adam(n.B1, tr.gB1, tr.mB1, tr.vB1, c1, c2, false)
	adam(n.W2, tr.gW2, tr.mW2, tr.vW2, c1, c2, true)
	adam(n.B2, tr.gB2, tr.mB2, tr.vB2, c1, c2, false)
	for _, f := range tr.touched {
		lo, hi := f*n.Hidden, (f+1)*n.Hidden
		adam(n.W1[lo:hi], tr.gW1[lo:hi], tr.mW1[lo:hi], tr.vW1[lo:hi], c1, c2, true)
		lo, hi = f*n.Out, (f+1)*n.Out
		adam(n.V[lo:hi], tr.gV[lo:hi], tr.mV[lo:hi], tr.vV[lo:hi], c1, c2, true)
		tr.isTouched[f] = false
	}
	tr.touched = tr.touched[:0]
}

func adam(w, g, m, v []float64, c1, c2 float64, decay bool) {
	for i, gi := range g {
		m[i] = adamBeta1*m[i] + (1-adamBeta1)*gi
		v[i] = adamBeta2*v[i] + (1-adamBeta2)*gi*gi
		w[i] -= adamRate * (m[i] / c1) / (math.Sqrt(v[i]/c2) + adamEps)
		if decay {
			w[i] -= adamRate * weightDecay * w[i]
		}
	}
}

// evaluate returns the share of samples whose action the net ranks first
// and their mean cross-entropy.
func (n *net) evaluate(samples []sample) (acc, loss float64) {
	h := make([]float64, n.Hidden)
	probs := make([]float64, n.Out)
	right := 0
	for _, s := range samples {
		n.forward(s.x, h, probs)
		loss -= math.Log(max(probs[s.y], 1e-12))
		best := 0
		for a, p := range probs {
			if p > probs[best] {
				best = a
			}
		}
		if best == s.y {
			right++
		}
	}
	k := float64(max(len(samples), 1))
	return float64(right) / k, loss / k
}

// fitSchedule says how long to train.
type fitSchedule struct {
	maxEpochs int
	// patience is how many passes without a better validation score end
	// training; none is checked before minEpochs.
	patience, minEpochs int
}

// fitNet trains n on samples for at most s.maxEpochs passes. With
// validation samples it keeps the pass count with the best validation
// accuracy (the lower loss breaking ties), stops once that has not changed
// for s.patience passes, and returns it.
func fitNet(ctx context.Context, n *net, rng *rand.Rand, samples, val []sample,
	s fitSchedule) (int, error) {
	tr := newTrainer(n, rng)
	order := make([]int, len(samples))
	for i := range order {
		order[i] = i
	}
	bestAcc, bestLoss, bestEpoch := -1.0, math.Inf(1), s.maxEpochs
	for epoch := 1; epoch <= s.maxEpochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		tr.epoch(samples, order)
		if len(val) == 0 || epoch < s.minEpochs {
			continue
		}
		acc, loss := n.evaluate(val)
		if acc > bestAcc || acc == bestAcc && loss < bestLoss {
			bestAcc, bestLoss, bestEpoch = acc, loss, epoch
		} else if epoch-bestEpoch >= s.patience {
			break
		}
	}
	return bestEpoch, nil
}
