package crf

import (
	"math"
	"slices"
)

// decoder is what Viterbi and the confidences read: a label scheme, its
// start and inside weights and the emission scores of one message. It is
// either the model's whole label set or the labels of some entities only.
type decoder struct {
	sc       *scheme
	logStart []float64 // per group of sc.fromT, per label; -Inf if it cannot start
	inside   []float64 // per entity, per inside slot
	score    []float64 // per token, per label
	only     []bool
	n        int
	// entities maps the scheme's entities to the model's (nil: the same).
	entities []int
}

// fullDecoder decodes over every label of the model.
func (m *Model) fullDecoder(lt *lattice) decoder {
	L := lt.labels
	return decoder{sc: m.sc, logStart: m.logStart, inside: m.W[m.pairs()+numGroups*L:],
		score: lt.score[:lt.n*L], only: lt.only, n: lt.n}
}

// restrictedDecoder decodes over O and the labels of the given entities
// (sorted indices), gathering their weights and scores into s.
func (m *Model) restrictedDecoder(s *tagScratch, allowed []int) decoder {
	lt, full := s.lt, m.sc.labels()
	sc := s.scheme(len(allowed), m.BILOU)
	L := sc.labels()
	label := func(y int) int { // the model's label of a restricted label
		if y == 0 {
			return 0
		}
		return 1 + allowed[(y-1)/sc.per]*sc.per + (y-1)%sc.per
	}
	d := decoder{sc: sc, only: lt.only, n: lt.n, entities: allowed}
	d.logStart = growF(&s.logStart, len(sc.fromT)*L)
	for k := range sc.fromT {
		for y := 0; y < L; y++ {
			d.logStart[k*L+y] = m.logStart[k*full+label(y)]
		}
	}
	d.inside = growF(&s.inside, len(allowed)*numInside)
	in := m.W[m.pairs()+numGroups*full:]
	for e, a := range allowed {
		copy(d.inside[e*numInside:(e+1)*numInside], in[a*numInside:(a+1)*numInside])
	}
	d.score = growF(&s.score, lt.n*L)
	m.emitRestricted(s, allowed, sc.per, d.score)
	return d
}

// emitRestricted writes the emission scores of the restricted labels (O,
// then per labels per allowed entity) into score, reading only the
// weights of those labels. An attribute's labels are sorted: a long list is
// searched for each allowed entity's labels, a short one is scanned through
// a map from the model's labels to the restricted ones.
func (m *Model) emitRestricted(s *tagScratch, allowed []int, per int, score []float64) {
	lt := s.lt
	L := 1 + len(allowed)*per
	clear(score[:lt.n*L])
	mask := s.labelMap(m.sc.labels(), allowed, per)
	long := 4 * per * len(allowed)
	for t := 0; t < lt.n; t++ {
		if lt.only[t] {
			continue
		}
		row := score[t*L : (t+1)*L]
		for _, a := range lt.tokenAttrs(t) {
			lo, hi := m.PairStart[a], m.PairStart[a+1]
			labels, ws := m.PairLabel[lo:hi], m.W[lo:hi]
			if len(labels) <= long {
				for k, y := range labels {
					if r := mask[y]; r >= 0 {
						row[r] += ws[k]
					}
				}
				continue
			}
			if labels[0] == 0 {
				row[0] += ws[0]
			}
			for e, ent := range allowed {
				first := int32(1 + ent*per)
				k, _ := slices.BinarySearch(labels, first)
				for ; k < len(labels) && labels[k] < first+int32(per); k++ {
					row[1+e*per+int(labels[k]-first)] += ws[k]
				}
			}
		}
	}
}

// labelMap returns, per label of the model, its restricted label (-1 when
// its entity is not allowed).
func (s *tagScratch) labelMap(labels int, allowed []int, per int) []int32 {
	if cap(s.mask) < labels {
		s.mask = make([]int32, labels)
	}
	mask := s.mask[:labels]
	for y := range mask {
		mask[y] = -1
	}
	mask[0] = 0
	for e, ent := range allowed {
		for k := 0; k < per; k++ {
			mask[1+ent*per+k] = int32(1 + e*per + k)
		}
	}
	return mask
}

// entity returns the model's entity of a decoded entity.
func (d *decoder) entity(e int) int {
	if d.entities == nil {
		return e
	}
	return d.entities[e]
}

func growF(b *[]float64, n int) []float64 {
	if cap(*b) < n {
		*b = make([]float64, n)
	}
	return (*b)[:n]
}

// viterbi returns the best label sequence.
func (d *decoder) viterbi(s *tagScratch) []int {
	sc, L := d.sc, d.sc.labels()
	if cap(s.vit) < d.n*L {
		s.vit, s.back = make([]float64, d.n*L), make([]int32, d.n*L)
	}
	delta, back := s.vit[:d.n*L], s.back[:d.n*L]
	for t := 0; t < d.n; t++ {
		best, arg := d.closedBest(delta, t, L)
		row, brow := delta[t*L:(t+1)*L], back[t*L:(t+1)*L]
		for y := range row {
			row[y], brow[y] = math.Inf(-1), -1
		}
		n := L
		if d.only[t] {
			n = 1 // label O alone
		}
		for k, g := range sc.fromT {
			bg, ag := best[g], arg[g]
			if math.IsInf(bg, -1) {
				continue
			}
			for y, w := range d.logStart[k*L : k*L+n] {
				if v := bg + w; v > row[y] {
					row[y], brow[y] = v, ag
				}
			}
		}
		if t > 0 && !d.only[t] && !d.only[t-1] {
			for _, st := range sc.inside {
				if v := delta[(t-1)*L+st.prev] + d.inside[st.param]; v > row[st.y] {
					row[st.y], brow[st.y] = v, int32(st.prev)
				}
			}
		}
		if !d.only[t] {
			for y, e := range d.score[t*L : (t+1)*L] {
				row[y] += e
			}
		}
	}
	return d.backtrack(s, delta, back, L)
}

// closedBest returns, per tag group, the best score of a closed label at
// token t-1 and that label.
func (d *decoder) closedBest(delta []float64, t, L int) ([numGroups]float64, [numGroups]int32) {
	var best [numGroups]float64
	var arg [numGroups]int32
	for g := range best {
		best[g], arg[g] = math.Inf(-1), -1
	}
	switch {
	case t == 0:
		best[tagBOS] = 0
	case d.only[t-1]:
		best[tagO], arg[tagO] = delta[(t-1)*L], 0
	default:
		for _, y := range d.sc.closedL {
			if v, g := delta[(t-1)*L+y], d.sc.tagOf[y]; v > best[g] {
				best[g], arg[g] = v, int32(y)
			}
		}
	}
	return best, arg
}

func (d *decoder) backtrack(s *tagScratch, delta []float64, back []int32, L int) []int {
	end, v := 0, math.Inf(-1)
	for _, y := range d.sc.closedL {
		if x := delta[(d.n-1)*L+y]; x > v {
			end, v = y, x
		}
	}
	if cap(s.path) < d.n {
		s.path = make([]int, d.n)
	}
	path := s.path[:d.n]
	for t := d.n - 1; t >= 0; t-- {
		path[t] = end
		end = int(back[t*L+end])
	}
	return path
}

// confidence is the probability of label path[t] at token t given its
// neighbours' labels: a softmax over the labels y of the transition from
// path[t-1] to y, y's emission and the transition from y to path[t+1]. It
// costs a few passes over the labels, where the exact marginal needs
// forward-backward over the whole message.
func (d *decoder) confidence(s *tagScratch, path []int, t int) float64 {
	sc, L := d.sc, d.sc.labels()
	in, out := growF(&s.in, L), growF(&s.out, L)
	// Into y: a start after the previous label's group, or a step inside
	// the previous label's entity.
	from := 0 // the begin of sentence, sc.fromT[0]
	if t > 0 {
		from = sc.fromIndex[path[t-1]]
	}
	if from >= 0 {
		copy(in, d.logStart[from*L:(from+1)*L])
	} else {
		fill(in, math.Inf(-1))
	}
	if t > 0 {
		for _, st := range sc.succ[path[t-1]] {
			in[st.y] = d.inside[st.param]
		}
	}
	// Out of y: the next label starts after y's group or continues y's
	// entity; at the end, y must close.
	fill(out, math.Inf(-1))
	switch {
	case t+1 == d.n:
		for _, y := range sc.closedL {
			out[y] = 0
		}
	case sc.starts(path[t+1]):
		for y, k := range sc.fromIndex {
			if k >= 0 {
				out[y] = d.logStart[k*L+path[t+1]]
			}
		}
	}
	if t+1 < d.n {
		for _, st := range sc.pred[path[t+1]] {
			out[st.prev] = d.inside[st.param]
		}
	}
	top := math.Inf(-1)
	for y := range in {
		in[y] += d.score[t*L+y] + out[y]
		top = max(top, in[y])
	}
	sum := 0.0
	for _, v := range in {
		if x := v - top; x > minLogPotential {
			sum += expNeg(x)
		}
	}
	return expNeg(max(in[path[t]]-top, minLogPotential)) / sum
}

func fill(s []float64, v float64) {
	for i := range s {
		s[i] = v
	}
}

// allowedEntities returns the sorted entities seen in training with any of
// the context values, and whether any value was known (when none is, every
// entity is allowed).
func (m *Model) allowedEntities(values []string) ([]int, bool) {
	var out []int
	known := false
	for _, v := range values {
		k, ok := slices.BinarySearch(m.ContextKeys, hashString(fnvOffset, v))
		if !ok {
			continue
		}
		known = true
		for _, e := range m.ContextEntities[m.ContextStart[k]:m.ContextStart[k+1]] {
			out = append(out, int(e))
		}
	}
	slices.Sort(out)
	return slices.Compact(out), known
}
