package crf

// minLogPotential: a label scoring this far below the token's best gets
// potential 0 (exp(-40) is below 1e-17, under float64 resolution of the sum).
const minLogPotential = -40

// groupSums writes, per tag group, the sum of alpha over the closed labels
// of token t-1 (at t = 0 only the begin of sentence counts).
func groupSums(lt *lattice, sc *scheme, t int) {
	clear(lt.groups)
	switch {
	case t == 0:
		lt.groups[tagBOS] = 1
		return
	case lt.only[t-1]:
		lt.groups[tagO] = lt.alpha[(t-1)*lt.labels]
		return
	}
	row := lt.alpha[(t-1)*lt.labels : t*lt.labels]
	for _, y := range sc.closedL {
		lt.groups[sc.tagOf[y]] += row[y]
	}
}

// activeGroups returns the tag groups that can precede token t.
func activeGroups(lt *lattice, sc *scheme, t int) []int {
	switch {
	case t == 0:
		return sc.bosT
	case lt.only[t-1]:
		return sc.oT
	}
	return sc.closedT
}

// startSums sets alpha[y] to the sum over the groups g of groups[g] times
// the potential of label y after g (zero for labels that cannot start).
func startSums(alpha, groups, phi []float64, sc *scheme) {
	L := len(alpha)
	g := sc.fromT
	a0, a1, a2, a3 := groups[g[0]], groups[g[1]], groups[g[2]], groups[g[3]]
	r0, r1 := phi[g[0]*L:g[0]*L+L], phi[g[1]*L:g[1]*L+L]
	r2, r3 := phi[g[2]*L:g[2]*L+L], phi[g[3]*L:g[3]*L+L]
	for y := range alpha {
		alpha[y] = a0*r0[y] + a1*r1[y] + a2*r2[y] + a3*r3[y]
	}
}

// forward fills alpha (scaled per token), psi and the scales; phi holds the
// transition potentials: numGroups×labels start ones, then the inside ones.
func (m *Model) forward(lt *lattice, sc *scheme, phi []float64) {
	L := lt.labels
	inPhi := phi[numGroups*L:]
	lt.logMax = 0
	for t := 0; t < lt.n; t++ {
		groupSums(lt, sc, t)
		alpha, psi := lt.alpha[t*L:(t+1)*L], lt.psi[t*L:(t+1)*L]
		clear(alpha)
		if lt.only[t] {
			clear(psi)
			a := 0.0
			for _, g := range activeGroups(lt, sc, t) {
				a += lt.groups[g] * phi[g*L]
			}
			psi[0], alpha[0], lt.scale[t] = 1, 1, a
			continue
		}
		score := lt.score[t*L : (t+1)*L]
		top := score[0]
		for _, s := range score[1:] {
			top = max(top, s)
		}
		lt.logMax += top
		startSums(alpha, lt.groups, phi, sc)
		if t > 0 && !lt.only[t-1] {
			prev := lt.alpha[(t-1)*L : t*L]
			for _, st := range sc.inside {
				alpha[st.y] += prev[st.prev] * inPhi[st.param]
			}
		}
		sum := 0.0
		for y, s := range score {
			psi[y] = 0
			if d := s - top; d > minLogPotential {
				psi[y] = expNeg(d)
			}
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
		groups := activeGroups(lt, sc, t)
		if lt.only[t] {
			u0 := lt.beta[t*L] * inv
			for _, g := range groups {
				lt.groups[g] = phi[g*L] * u0
			}
		} else {
			for y := 0; y < L; y++ {
				u[y] = lt.psi[t*L+y] * lt.beta[t*L+y] * inv
			}
			for _, g := range groups {
				s := 0.0
				for y, p := range phi[g*L : (g+1)*L] {
					s += p * u[y]
				}
				lt.groups[g] = s
			}
		}
		prev := lt.beta[(t-1)*L : t*L]
		clear(prev)
		if lt.only[t-1] {
			prev[0] = lt.groups[tagO]
			continue
		}
		for _, p := range sc.closedL {
			prev[p] = lt.groups[sc.tagOf[p]]
		}
		if !lt.only[t] {
			for _, st := range sc.inside {
				prev[st.prev] += inPhi[st.param] * u[st.y]
			}
		}
	}
	return zf
}
