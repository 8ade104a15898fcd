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

// Options tunes training.
type Options struct {
	// MaxIter bounds the L-BFGS iterations (zero: 100).
	MaxIter int
	// L2 is the penalty L2·||w||² added to the summed log loss.
	L2 float64
	// BILOU uses B, I, L, U tags; otherwise B and I.
	BILOU bool
	// Epochs, when above zero, trains by stochastic gradient descent for
	// that many passes instead of L-BFGS, on data of 2000 sentences or
	// more (much faster there; small data keeps L-BFGS).
	Epochs int
	// Seed chooses the SGD example order.
	Seed uint64
}

// Stats reports how training went.
type Stats struct {
	Labels, Features, Iterations int
	Loss                         float64
}

// sgdMinSentences is the data size from which Epochs selects SGD; smaller
// sets train fast with L-BFGS and need its tighter convergence.
const sgdMinSentences = 2000

// sample is one training sentence ready for the objective.
type sample struct {
	attrs [][]int32
	gold  []int
}

// Train fits a tagger on sentences. Sentences without tokens are skipped.
func Train(ctx context.Context, sents []Sentence, opts Options) (*Model, Stats, error) {
	if opts.MaxIter <= 0 {
		opts.MaxIter = 100
	}
	m := &Model{BILOU: opts.BILOU, Entities: labelNames(sents)}
	if len(m.Entities) == 0 {
		return nil, Stats{}, fmt.Errorf("%w: no entity annotations", ErrInput)
	}
	sc := m.scheme()
	samples, hashes := encodeSentences(sents, m.Entities, sc)
	m.buildPairs(samples, hashes)
	obj := &objective{m: m, sc: sc, samples: samples, l2: opts.L2, ctx: ctx}
	st := Stats{Labels: sc.labels(), Features: m.pairs()}
	if opts.Epochs > 0 && len(samples) >= sgdMinSentences {
		w, err := obj.sgd(ctx, opts.Epochs, 0.1, opts.Seed)
		if err != nil {
			return nil, Stats{}, err
		}
		m.W, st.Iterations = w, opts.Epochs
	} else {
		init := make([]float64, paramCount(m.pairs(), sc.labels(), len(m.Entities)))
		res, err := optimize.Minimize(optimize.Problem{Func: obj.fn, Grad: obj.grad}, init,
			&optimize.Settings{MajorIterations: opts.MaxIter, GradientThreshold: 1e-5,
				Converger: &optimize.FunctionConverge{Relative: 1e-6, Iterations: 5}},
			&optimize.LBFGS{Store: 10})
		if ctx.Err() != nil {
			return nil, Stats{}, fmt.Errorf("training the CRF: %w", ctx.Err())
		}
		if res == nil {
			return nil, Stats{}, fmt.Errorf("training the CRF: %w", err)
		}
		m.W, st.Iterations, st.Loss = res.X, res.Stats.MajorIterations, res.F
	}
	for i, w := range m.W {
		m.W[i] = float64(float32(w))
	}
	m.Restore()
	return m, st, nil
}

// labelNames returns the sorted distinct labels of the sentences.
func labelNames(sents []Sentence) []string {
	var out []string
	for _, s := range sents {
		for _, l := range s.Labels {
			if l != "" {
				out = append(out, l)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// encodeSentences computes gold labels and attribute hashes.
func encodeSentences(sents []Sentence, names []string, sc *scheme) ([]sample, [][][]uint64) {
	var samples []sample
	var hashes [][][]uint64
	for _, s := range sents {
		if len(s.Tokens) == 0 {
			continue
		}
		ents := make([]int, len(s.Tokens))
		mention := make([]int, len(s.Tokens))
		for i := range s.Tokens {
			ents[i] = -1
			if i < len(s.Labels) && s.Labels[i] != "" {
				ents[i], _ = slices.BinarySearch(names, s.Labels[i])
			}
			if i < len(s.Mention) {
				mention[i] = s.Mention[i]
			}
		}
		samples = append(samples, sample{gold: sc.encode(ents, mention)})
		hashes = append(hashes, attributes(s.Tokens, s.Hits))
	}
	return samples, hashes
}

// buildPairs makes the attribute vocabulary and the (attribute, label)
// pairs seen in training, and maps each sample's attributes to indices.
func (m *Model) buildPairs(samples []sample, hashes [][][]uint64) {
	labels := map[uint64][]int32{}
	for i, s := range samples {
		for t, hs := range hashes[i] {
			for _, h := range hs {
				labels[h] = append(labels[h], int32(s.gold[t]))
			}
		}
	}
	m.Keys = make([]uint64, 0, len(labels))
	for h := range labels {
		m.Keys = append(m.Keys, h)
	}
	slices.Sort(m.Keys)
	m.PairStart = make([]int32, 0, len(m.Keys)+1)
	for _, h := range m.Keys {
		ls := labels[h]
		slices.Sort(ls)
		m.PairStart = append(m.PairStart, int32(len(m.PairLabel)))
		m.PairLabel = append(m.PairLabel, slices.Compact(ls)...)
	}
	m.PairStart = append(m.PairStart, int32(len(m.PairLabel)))
	m.index = make(map[uint64]int32, len(m.Keys))
	for i, k := range m.Keys {
		m.index[k] = int32(i)
	}
	for i := range samples {
		samples[i].attrs = m.lookup(hashes[i])
	}
}

// objective is the penalised negative log-likelihood of the training data.
type objective struct {
	m       *Model
	sc      *scheme
	samples []sample
	l2      float64
	ctx     context.Context
	lastX   []float64
	lastF   float64
	lastG   []float64
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
	phi := transitionPotentials(w, o.m.pairs())
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
func (o *objective) chunk(w, phi, g []float64, samples []sample) float64 {
	loss := 0.0
	lt := newLattice(nil, o.sc.labels())
	for _, s := range samples {
		lt.reset(s.attrs)
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
		s += lt.score[t*lt.labels+y] + w[o.transIndex(gold, t, lt.labels)]
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

// expectations adds expected minus observed feature counts to g.
// The counts are multiplied by k before they are added.
func (o *objective) expectations(lt *lattice, phi, g []float64, zf float64, gold []int,
	k float64) {
	L, P, sc, m := lt.labels, o.m.pairs(), o.sc, o.m
	u := lt.u
	inZ := 1 / zf
	gs, gi := g[P:P+numGroups*L], g[P+numGroups*L:]
	inPhi := phi[numGroups*L:]
	for t := 0; t < lt.n; t++ {
		inv := inZ / lt.scale[t]
		for y := 0; y < L; y++ {
			u[y] = lt.psi[t*L+y] * lt.beta[t*L+y] * inv
		}
		alpha, beta := lt.alpha[t*L:(t+1)*L], lt.beta[t*L:(t+1)*L]
		for _, a := range lt.attrs[t] {
			for p := m.PairStart[a]; p < m.PairStart[a+1]; p++ {
				y := m.PairLabel[p]
				g[p] += k * alpha[y] * beta[y] * inZ
			}
		}
		groupSums(lt, sc, t)
		for _, gr := range activeGroups(sc, t) {
			a := lt.groups[gr]
			row, grow := phi[gr*L:(gr+1)*L], gs[gr*L:(gr+1)*L]
			for _, y := range sc.startL {
				grow[y] += a * row[y] * u[y] * k
			}
		}
		if t > 0 {
			prev := lt.alpha[(t-1)*L : t*L]
			for _, st := range sc.inside {
				j := sc.entity(st.y)*numInside + st.slot
				gi[j] += prev[st.prev] * inPhi[j] * u[st.y] * k
			}
		}
		o.subtractGold(lt, g, gold, t, k)
	}
}

// subtractGold removes the observed counts of token t.
func (o *objective) subtractGold(lt *lattice, g []float64, gold []int, t int, k float64) {
	m := o.m
	for _, a := range lt.attrs[t] {
		for p := m.PairStart[a]; p < m.PairStart[a+1]; p++ {
			if int(m.PairLabel[p]) == gold[t] {
				g[p] -= k
				break
			}
		}
	}
	g[o.transIndex(gold, t, lt.labels)] -= k
}
