package linear

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/parley-chat/parley/internal/nlu/feature"
)

func vec(idx []int32, val []float64) feature.Vector { return feature.Vector{Idx: idx, Val: val} }

func TestTrainSeparable(t *testing.T) {
	x := []feature.Vector{vec([]int32{0}, []float64{1}), vec([]int32{1}, []float64{1}),
		vec([]int32{2}, []float64{1}), vec([]int32{0, 1}, []float64{0.7, 0.7})}
	y := []int{0, 1, 2, 0}
	m, st, err := Train(context.Background(), x, y, 3, 3, Options{C: 100})
	if err != nil {
		t.Fatal(err)
	}
	p := make([]float64, 3)
	for i, v := range x[:3] {
		m.Probabilities(v, p)
		if p[i] < 0.8 || math.Abs(p[0]+p[1]+p[2]-1) > 1e-9 {
			t.Errorf("example %d: probabilities %v (%+v)", i, p, st)
		}
	}
	// Strong regularisation pulls the probabilities towards uniform.
	weak, _, _ := Train(context.Background(), x, y, 3, 3, Options{C: 0.001})
	weak.Probabilities(x[1], p)
	if p[1] > 0.5 {
		t.Errorf("C=0.001: p = %v", p)
	}
	var b bytes.Buffer
	data, _ := m.MarshalBinary()
	b.Write(data)
	var back Model
	if err := back.UnmarshalBinary(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	q := make([]float64, 3)
	back.Probabilities(x[3], q)
	m.Probabilities(x[3], p)
	if p[0] != q[0] || p[1] != q[1] {
		t.Errorf("reloaded model differs: %v vs %v", p, q)
	}
	if err := back.UnmarshalBinary(data[:9]); err == nil {
		t.Error("truncated weights accepted")
	}
	if _, _, err := Train(context.Background(), x, []int{0, 5, 0, 0}, 3, 3, Options{}); err == nil {
		t.Error("label outside the classes accepted")
	}
}
