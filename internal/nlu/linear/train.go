package linear

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/optimize"

	"github.com/parley-chat/parley/internal/nlu/feature"
)

// Options tunes training.
type Options struct {
	// C is the inverse regularisation strength, as in scikit-learn: the loss
	// is the sum of log losses plus ||W||²/(2C). Zero means 10.
	C float64
	// MaxIter bounds the L-BFGS iterations (zero: 200).
	MaxIter int
	// Tol stops training when the relative loss change is below it
	// (zero: 1e-4).
	Tol float64
	// Weights optionally weighs each example (nil: all 1).
	Weights []float64
	// LBFGS trains by L-BFGS to convergence (MaxIter, Tol) instead of by
	// averaged stochastic gradient descent.
	LBFGS bool
	// Epochs is the number of SGD passes (zero: 8); small data sets get
	// more, so that every training makes at least 5000 steps.
	Epochs int
	// Eta is the initial SGD step (zero: 4; the features are L2-normalised).
	Eta float64
	// Seed chooses the SGD example order.
	Seed uint64
}

// Stats reports how training went.
type Stats struct {
	Iterations  int
	Evaluations int
	Loss        float64
	Status      string
}

// problem holds the data and scratch space of one training run.
type problem struct {
	x       []feature.Vector
	y       []int
	wt      []float64
	classes int
	dim     int
	lambda  float64
	cols    [][]colEntry // examples of each feature, for the gradient
	resid   []float64    // per example: p - onehot, times the weight
	lastX   []float64
	lastF   float64
	lastG   []float64
	evals   int
	ctx     context.Context
}

type colEntry struct {
	ex  int32
	val float64
}

// Train fits a model on examples x with class labels y in [0, classes).
func Train(ctx context.Context, x []feature.Vector, y []int, classes, dim int,
	opts Options) (*Model, Stats, error) {
	if len(x) != len(y) || len(x) == 0 || classes < 1 {
		return nil, Stats{}, fmt.Errorf("%w: %d vectors, %d labels, %d classes",
			ErrInput, len(x), len(y), classes)
	}
	for _, c := range y {
		if c < 0 || c >= classes {
			return nil, Stats{}, fmt.Errorf("%w: label %d outside [0,%d)", ErrInput, c, classes)
		}
	}
	if opts.C <= 0 {
		opts.C = 10
	}
	if opts.MaxIter <= 0 {
		opts.MaxIter = 200
	}
	if opts.Tol <= 0 {
		opts.Tol = 1e-4
	}
	if opts.Epochs <= 0 {
		opts.Epochs = 8
	}
	if opts.Eta <= 0 {
		opts.Eta = 4
	}
	if classes == 1 {
		m := &Model{Classes: 1, Dim: dim, W: make([]float64, dim), B: make([]float64, 1)}
		return m, Stats{Status: "one class"}, nil
	}
	if !opts.LBFGS {
		return trainSGD(ctx, x, y, classes, dim, opts)
	}
	p := newProblem(ctx, x, y, classes, dim, opts)
	init := make([]float64, dim*classes+classes)
	res, err := optimize.Minimize(optimize.Problem{Func: p.fn, Grad: p.grad},
		init, &optimize.Settings{
			MajorIterations:   opts.MaxIter,
			GradientThreshold: 1e-6,
			Converger:         &optimize.FunctionConverge{Relative: opts.Tol, Iterations: 3},
		}, &optimize.LBFGS{Store: 10})
	if ctx.Err() != nil {
		return nil, Stats{}, fmt.Errorf("training the intent classifier: %w", ctx.Err())
	}
	if res == nil {
		return nil, Stats{}, fmt.Errorf("training the intent classifier: %w", err)
	}
	// Iteration limits and stalls still leave a usable optimum.
	st := Stats{Iterations: res.Stats.MajorIterations, Evaluations: p.evals,
		Loss: res.F, Status: res.Status.String()}
	m := p.model(res.X)
	m.Round32()
	return m, st, nil
}

func newProblem(ctx context.Context, x []feature.Vector, y []int, classes, dim int,
	opts Options) *problem {
	p := &problem{x: x, y: y, classes: classes, dim: dim, ctx: ctx,
		resid: make([]float64, len(x)*classes)}
	p.wt = opts.Weights
	if p.wt == nil {
		p.wt = make([]float64, len(x))
		for i := range p.wt {
			p.wt[i] = 1
		}
	}
	total := 0.0
	for _, w := range p.wt {
		total += w
	}
	// Mean loss: divide the sum form by the total weight.
	p.lambda = 1 / (opts.C * total)
	p.cols = make([][]colEntry, dim)
	for i, v := range x {
		for n, f := range v.Idx {
			if int(f) < dim {
				p.cols[f] = append(p.cols[f], colEntry{int32(i), v.Val[n]})
			}
		}
	}
	return p
}

func (p *problem) model(w []float64) *Model {
	nw := p.dim * p.classes
	return &Model{Classes: p.classes, Dim: p.dim,
		W: append([]float64(nil), w[:nw]...), B: append([]float64(nil), w[nw:]...)}
}

// fn evaluates the loss, computing and caching the gradient at the same time.
func (p *problem) fn(w []float64) float64 {
	if p.lastX != nil && equal(p.lastX, w) {
		return p.lastF
	}
	p.evals++
	if p.lastG == nil {
		p.lastG = make([]float64, len(w))
	}
	p.lastF = p.evaluate(w, p.lastG)
	p.lastX = append(p.lastX[:0], w...)
	return p.lastF
}

func (p *problem) grad(g, w []float64) {
	p.fn(w)
	copy(g, p.lastG)
}

func equal(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// evaluate returns the loss at w and writes its gradient into g.
func (p *problem) evaluate(w, g []float64) float64 {
	if p.ctx.Err() != nil {
		return math.NaN()
	}
	m := p.model(w)
	total := 0.0
	for _, v := range p.wt {
		total += v
	}
	loss := parallelSum(len(p.x), func(lo, hi int) float64 { return p.residuals(m, lo, hi) })
	loss /= total
	nw := p.dim * p.classes
	parallelFor(p.dim, func(_, lo, hi int) { p.weightGrad(w, g, lo, hi, total) })
	for c := 0; c < p.classes; c++ {
		s := 0.0
		for i := range p.x {
			s += p.resid[i*p.classes+c]
		}
		g[nw+c] = s / total
	}
	reg := 0.0
	for _, v := range w[:nw] {
		reg += v * v
	}
	return loss + p.lambda*reg/2
}

// residuals computes p - onehot for examples [lo,hi) and returns their loss.
func (p *problem) residuals(m *Model, lo, hi int) float64 {
	loss := 0.0
	for i := lo; i < hi; i++ {
		r := p.resid[i*p.classes : (i+1)*p.classes]
		m.Scores(p.x[i], r)
		Softmax(r)
		loss -= p.wt[i] * math.Log(max(r[p.y[i]], 1e-300))
		r[p.y[i]] -= 1
		for c := range r {
			r[c] *= p.wt[i]
		}
	}
	return loss
}

// weightGrad writes the gradient of the weights of features [lo,hi).
func (p *problem) weightGrad(w, g []float64, lo, hi int, total float64) {
	c := p.classes
	for f := lo; f < hi; f++ {
		row := g[f*c : f*c+c]
		clear(row)
		for _, e := range p.cols[f] {
			floats.AddScaled(row, e.val, p.resid[int(e.ex)*c:int(e.ex)*c+c])
		}
		wr := w[f*c : f*c+c]
		for k := range row {
			row[k] = row[k]/total + p.lambda*wr[k]
		}
	}
}

// chunks is fixed so that sums do not depend on the number of CPUs.
const chunks = 16

// parallelSum runs f over fixed chunks of [0,n) and sums the results in order.
func parallelSum(n int, f func(lo, hi int) float64) float64 {
	out := make([]float64, chunks)
	parallelFor(n, func(k, lo, hi int) { out[k] = f(lo, hi) })
	s := 0.0
	for _, v := range out {
		s += v
	}
	return s
}

// parallelFor splits [0,n) into fixed chunks and runs them on the CPUs; f
// gets the chunk number and its bounds.
func parallelFor(n int, f func(k, lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), chunks)
	var wg sync.WaitGroup
	next := make(chan int, chunks)
	for k := 0; k < chunks; k++ {
		next <- k
	}
	close(next)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				if lo, hi := n*k/chunks, n*(k+1)/chunks; hi > lo {
					f(k, lo, hi)
				}
			}
		}()
	}
	wg.Wait()
}
