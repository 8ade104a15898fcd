package crf

import (
	"math"

	"github.com/parley-chat/parley/internal/nlu/token"
)

// Model is a trained tagger.
type Model struct {
	// Entities are the label names (entity type, with role and group when
	// the caller encodes them), sorted.
	Entities []string
	BILOU    bool
	// Keys are the attribute hashes, sorted; attribute a has the weights
	// W[PairStart[a]:PairStart[a+1]] for the labels PairLabel[...].
	Keys      []uint64
	PairStart []int32
	PairLabel []int32
	// W holds the pair weights, then the transition weights.
	W     []float64
	index map[uint64]int32
	phi   []float64 // exp of the transition weights
}

// Restore rebuilds the attribute index and the transition potentials; call
// it once after decoding a saved Model, before Tag.
func (m *Model) Restore() {
	m.index = make(map[uint64]int32, len(m.Keys))
	for i, k := range m.Keys {
		m.index[k] = int32(i)
	}
	m.phi = transitionPotentials(m.W, m.pairs())
}

func (m *Model) scheme() *scheme {
	sc := newScheme(len(m.Entities), m.BILOU)
	return &sc
}

// pairs returns the number of (attribute, label) weights.
func (m *Model) pairs() int { return len(m.PairLabel) }

// startW is the weight of a label y that follows a tag group g.
func startIndex(pairs, labels, g, y int) int { return pairs + g*labels + y }

// insideIndex is the weight of an inside step of entity e.
func insideIndex(pairs, labels, e, slot int) int {
	return pairs + numGroups*labels + e*numInside + slot
}

func paramCount(pairs, labels, entities int) int {
	return pairs + numGroups*labels + entities*numInside
}

// lattice is the per-sentence scratch space of inference.
type lattice struct {
	n, labels int
	attrs     [][]int32 // attribute indices per token
	score     []float64 // emission scores [t*labels+y]
	alpha     []float64
	beta      []float64
	psi       []float64 // exp(score - max) per token and label
	scale     []float64
	logMax    float64 // sum over tokens of the max score
	groups    []float64
	u         []float64 // per-label scratch
}

func newLattice(attrs [][]int32, labels int) *lattice {
	lt := &lattice{labels: labels, groups: make([]float64, numGroups),
		u: make([]float64, labels)}
	lt.reset(attrs)
	return lt
}

// reset prepares the lattice for another sentence, reusing its buffers.
func (lt *lattice) reset(attrs [][]int32) {
	n := len(attrs)
	lt.n, lt.attrs = n, attrs
	grow := func(b []float64, size int) []float64 {
		if cap(b) < size {
			return make([]float64, size)
		}
		return b[:size]
	}
	size := n * lt.labels
	lt.score, lt.alpha = grow(lt.score, size), grow(lt.alpha, size)
	lt.beta, lt.psi = grow(lt.beta, size), grow(lt.psi, size)
	lt.scale = grow(lt.scale, n)
}

// emit computes the emission scores with weights w.
func (m *Model) emit(lt *lattice, w []float64) {
	clear(lt.score)
	for t, as := range lt.attrs {
		row := lt.score[t*lt.labels : (t+1)*lt.labels]
		for _, a := range as {
			for p := m.PairStart[a]; p < m.PairStart[a+1]; p++ {
				row[m.PairLabel[p]] += w[p]
			}
		}
	}
}

// lookup maps a token's attribute hashes to known attribute indices.
func (m *Model) lookup(hashes [][]uint64) [][]int32 {
	out := make([][]int32, len(hashes))
	for t, hs := range hashes {
		for _, h := range hs {
			if a, ok := m.index[h]; ok {
				out[t] = append(out[t], a)
			}
		}
	}
	return out
}

// Tag finds the entities of a tokenized message; hits lists, per token, the
// regexes and lookup tables matching it (nil when there are none).
func (m *Model) Tag(toks []token.Token, hits [][]string) []Span {
	if m == nil || len(toks) == 0 || len(m.Entities) == 0 {
		return nil
	}
	sc := m.scheme()
	lt := newLattice(m.lookup(attributes(toks, hits)), sc.labels())
	m.emit(lt, m.W)
	path := m.viterbi(lt, sc)
	m.forward(lt, sc, m.phi)
	zf := m.backward(lt, sc, m.phi)
	var out []Span
	for _, s := range sc.spans(path) {
		conf := 0.0
		for t := s[0]; t < s[1]; t++ {
			conf += lt.alpha[t*lt.labels+path[t]] * lt.beta[t*lt.labels+path[t]] / zf
		}
		out = append(out, Span{Start: s[0], End: s[1], Label: m.Entities[s[2]],
			Confidence: conf / float64(s[1]-s[0])})
	}
	return out
}

// viterbi returns the best label sequence.
func (m *Model) viterbi(lt *lattice, sc *scheme) []int {
	L, P := lt.labels, m.pairs()
	delta := make([]float64, lt.n*L)
	back := make([]int32, lt.n*L)
	best := make([]float64, numGroups)
	arg := make([]int32, numGroups)
	for t := 0; t < lt.n; t++ {
		for g := range best {
			best[g], arg[g] = math.Inf(-1), -1
		}
		if t == 0 {
			best[tagBOS] = 0
		} else {
			for y := 0; y < L; y++ {
				if v := delta[(t-1)*L+y]; sc.closed(y) && v > best[sc.tag(y)] {
					best[sc.tag(y)], arg[sc.tag(y)] = v, int32(y)
				}
			}
		}
		for y := 0; y < L; y++ {
			v, from := math.Inf(-1), int32(-1)
			if sc.starts(y) {
				for g := range best {
					if s := best[g] + m.W[startIndex(P, L, g, y)]; s > v {
						v, from = s, arg[g]
					}
				}
			}
			if t > 0 && sc.entity(y) >= 0 {
				e := sc.entity(y)
				for _, pt := range [2]int{tagB, tagI} {
					slot := sc.insideSlot(pt, y)
					if slot < 0 {
						continue
					}
					prev := sc.label(e, pt)
					s := delta[(t-1)*L+prev] + m.W[insideIndex(P, L, e, slot)]
					if s > v {
						v, from = s, int32(prev)
					}
				}
			}
			delta[t*L+y] = v + lt.score[t*L+y]
			back[t*L+y] = from
		}
	}
	end, v := 0, math.Inf(-1)
	for y := 0; y < L; y++ {
		if sc.closed(y) && delta[(lt.n-1)*L+y] > v {
			end, v = y, delta[(lt.n-1)*L+y]
		}
	}
	path := make([]int, lt.n)
	for t := lt.n - 1; t >= 0; t-- {
		path[t] = end
		end = int(back[t*L+end])
	}
	return path
}
