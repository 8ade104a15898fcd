package crf

import "math"

// lattice is the per-sentence scratch space of inference. Scores, alpha,
// beta and psi are laid out [t*labels+y].
type lattice struct {
	n, labels int
	// attrs holds the attribute indices of all tokens; token t has
	// attrs[attrEnd[t-1]:attrEnd[t]].
	attrs   []int32
	attrEnd []int32
	// only marks tokens that can only be O.
	only   []bool
	score  []float64
	alpha  []float64
	beta   []float64
	psi    []float64 // exp(score - max) per token and label
	scale  []float64
	logMax float64 // sum over tokens of the max score
	groups []float64
	u, u2  []float64 // per-label scratch
}

func newLattice(labels int) *lattice {
	return &lattice{labels: labels, groups: make([]float64, numGroups),
		u: make([]float64, labels), u2: make([]float64, labels)}
}

// resize prepares the lattice for a sentence of n tokens, reusing memory.
func (lt *lattice) resize(n int) {
	lt.n = n
	size := n * lt.labels
	lt.score, lt.alpha = grow(lt.score, size), grow(lt.alpha, size)
	lt.beta, lt.psi = grow(lt.beta, size), grow(lt.psi, size)
	lt.scale = grow(lt.scale, n)
	if cap(lt.only) < n {
		lt.only = make([]bool, n)
		lt.attrEnd = make([]int32, n)
	}
	lt.only, lt.attrEnd = lt.only[:n], lt.attrEnd[:n]
}

func grow(b []float64, size int) []float64 {
	if cap(b) < size {
		return make([]float64, size)
	}
	return b[:size]
}

// tokenAttrs returns the attribute indices of token t.
func (lt *lattice) tokenAttrs(t int) []int32 {
	lo := int32(0)
	if t > 0 {
		lo = lt.attrEnd[t-1]
	}
	return lt.attrs[lo:lt.attrEnd[t]]
}

// load points the lattice at an encoded training sentence.
func (lt *lattice) load(s *encoded) {
	lt.resize(len(s.gold))
	lt.attrs = s.attrs
	copy(lt.attrEnd, s.attrEnd)
	copy(lt.only, s.only)
}

// emit computes the emission scores with weights w divided by div. Tokens
// that can only be O score 0 (the same on every path).
func (m *Model) emit(lt *lattice, w []float64) { m.emitScaled(lt, w, 1) }

func (m *Model) emitScaled(lt *lattice, w []float64, div float64) {
	clear(lt.score[:lt.n*lt.labels])
	for t := 0; t < lt.n; t++ {
		if lt.only[t] {
			continue
		}
		row := lt.score[t*lt.labels : (t+1)*lt.labels]
		for _, a := range lt.tokenAttrs(t) {
			lo, hi := m.PairStart[a], m.PairStart[a+1]
			labels, ws := m.PairLabel[lo:hi], w[lo:hi]
			for k, y := range labels {
				row[y] += ws[k]
			}
		}
		if div != 1 {
			inv := 1 / div
			for y := range row {
				row[y] *= inv
			}
		}
	}
}

// potentials writes exp(w/div) of the transition weights into phi: the
// start rows of the groups a label can follow (zero where the label cannot
// start anything, so that the start loops run densely over all labels),
// then the inside weights.
func (sc *scheme) potentials(w []float64, pairs int, div float64, phi []float64) {
	L := sc.labels()
	clear(phi[:numGroups*L])
	inv := 1 / div
	for _, g := range sc.fromT {
		for _, y := range sc.startL {
			phi[g*L+y] = math.Exp(w[pairs+g*L+y] * inv)
		}
	}
	for k := numGroups * L; k < len(phi); k++ {
		phi[k] = math.Exp(w[pairs+k] * inv)
	}
}

// transitionPotentials returns the potentials of weights w.
func (sc *scheme) transitionPotentials(w []float64, pairs int) []float64 {
	phi := make([]float64, len(w)-pairs)
	sc.potentials(w, pairs, 1, phi)
	return phi
}

// logZ returns the log partition function after forward and backward.
func (lt *lattice) logZ(zf float64) float64 {
	s := lt.logMax + math.Log(zf)
	for _, c := range lt.scale[:lt.n] {
		s += math.Log(c)
	}
	return s
}
