package crf

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// sgd minimises the objective by stochastic gradient descent, one sentence
// at a time, in a seeded order. The L2 penalty is applied by scaling: the
// weights are s·v, so decaying every weight costs one multiplication.
func (o *objective) sgd(ctx context.Context, epochs int, eta0 float64, seed uint64) ([]float64,
	error) {
	P, L := o.m.pairs(), o.sc.labels()
	n := paramCount(P, L, len(o.m.Entities))
	v := make([]float64, n)
	s := 1.0
	N := float64(len(o.samples))
	lambda := 2 * o.l2 / N
	order := make([]int, len(o.samples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(0x5eed^seed, uint64(len(order))))
	lt := newLattice(nil, L)
	phi := make([]float64, n-P)
	step := 0
	for epoch := 0; epoch < epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("training the CRF: %w", err)
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			eta := eta0 / (1 + float64(step)/N)
			step++
			s *= 1 - eta*lambda
			if s < 1e-6 {
				for k := range v {
					v[k] *= s
				}
				s = 1
			}
			sm := o.samples[i]
			lt.reset(sm.attrs)
			o.m.emit(lt, v)
			for k := range lt.score {
				lt.score[k] *= s
			}
			for k := range phi {
				phi[k] = math.Exp(s * v[P+k])
			}
			o.m.forward(lt, o.sc, phi)
			zf := o.m.backward(lt, o.sc, phi)
			o.expectations(lt, phi, v, zf, sm.gold, -eta/s)
		}
	}
	for k := range v {
		v[k] *= s
	}
	return v, nil
}
