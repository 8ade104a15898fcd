package crf

import "math"

// transitionPotentials returns exp of the transition weights (the weights
// after the pairs).
func transitionPotentials(w []float64, pairs int) []float64 {
	phi := make([]float64, len(w)-pairs)
	for i, v := range w[pairs:] {
		phi[i] = math.Exp(v)
	}
	return phi
}

// groupSums writes, per tag group, the sum of alpha over the closed labels
// of token t-1 (at t = 0 only the begin of sentence counts).
func groupSums(lt *lattice, sc *scheme, t int) {
	clear(lt.groups)
	if t == 0 {
		lt.groups[tagBOS] = 1
		return
	}
	row := lt.alpha[(t-1)*lt.labels : t*lt.labels]
	for _, y := range sc.closedL {
		lt.groups[sc.tagOf[y]] += row[y]
	}
}

// activeGroups returns the tag groups that can precede token t.
func activeGroups(sc *scheme, t int) []int {
	if t == 0 {
		return []int{tagBOS}
	}
	return sc.closedT
}

// forward fills alpha (scaled per token), psi and the scales; phi holds the
// transition potentials: numGroups×labels start ones, then the inside ones.
func (m *Model) forward(lt *lattice, sc *scheme, phi []float64) {
	L := lt.labels
	inPhi := phi[numGroups*L:]
	lt.logMax = 0
	for t := 0; t < lt.n; t++ {
		score := lt.score[t*L : (t+1)*L]
		top := score[0]
		for _, s := range score[1:] {
			top = max(top, s)
		}
		lt.logMax += top
		groupSums(lt, sc, t)
		alpha := lt.alpha[t*L : (t+1)*L]
		clear(alpha)
		for _, g := range activeGroups(sc, t) {
			a := lt.groups[g]
			row := phi[g*L : (g+1)*L]
			for _, y := range sc.startL {
				alpha[y] += a * row[y]
			}
		}
		if t > 0 {
			prev := lt.alpha[(t-1)*L : t*L]
			for _, st := range sc.inside {
				alpha[st.y] += prev[st.prev] * inPhi[sc.entity(st.y)*numInside+st.slot]
			}
		}
		psi := lt.psi[t*L : (t+1)*L]
		sum := 0.0
		for y, s := range score {
			psi[y] = math.Exp(s - top)
			alpha[y] *= psi[y]
			sum += alpha[y]
		}
		lt.scale[t] = sum
		inv := 1 / sum
		for y := range alpha {
			alpha[y] *= inv
		}
	}
}

// backward fills beta (scaled like alpha) and returns the final sum of
// alpha over the labels a sentence may end with.
func (m *Model) backward(lt *lattice, sc *scheme, phi []float64) float64 {
	L := lt.labels
	inPhi := phi[numGroups*L:]
	zf := 0.0
	last := lt.beta[(lt.n-1)*L : lt.n*L]
	clear(last)
	for _, y := range sc.closedL {
		last[y] = 1
		zf += lt.alpha[(lt.n-1)*L+y]
	}
	u := lt.u
	for t := lt.n - 1; t > 0; t-- {
		inv := 1 / lt.scale[t]
		for y := 0; y < L; y++ {
			u[y] = lt.psi[t*L+y] * lt.beta[t*L+y] * inv
		}
		prev := lt.beta[(t-1)*L : t*L]
		clear(prev)
		for _, g := range sc.closedT {
			s := 0.0
			row := phi[g*L : (g+1)*L]
			for _, y := range sc.startL {
				s += row[y] * u[y]
			}
			lt.groups[g] = s
		}
		for _, p := range sc.closedL {
			prev[p] = lt.groups[sc.tagOf[p]]
		}
		for _, st := range sc.inside {
			prev[st.prev] += inPhi[sc.entity(st.y)*numInside+st.slot] * u[st.y]
		}
	}
	return zf
}

// logZ returns the log partition function after forward and backward.
func (lt *lattice) logZ(zf float64) float64 {
	s := lt.logMax + math.Log(zf)
	for _, c := range lt.scale {
		s += math.Log(c)
	}
	return s
}
