package linear

import (
	"encoding/binary"
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/floats"

	"github.com/parley-chat/parley/internal/nlu/feature"
)

// Model holds the weights of a trained classifier. W is laid out by
// feature: W[f*Classes+c] is the weight of feature f for class c.
type Model struct {
	Classes int
	Dim     int
	W       []float64
	B       []float64
	// w32 is W at float32 precision (what Round32 keeps), used for scoring:
	// half the memory traffic, which is what a parse waits for.
	w32 []float32
}

// Scores writes the class scores (logits) of x into out.
func (m *Model) Scores(x feature.Vector, out []float64) {
	c := m.Classes
	if m.w32 == nil {
		copy(out, m.B)
		for n, f := range x.Idx {
			if int(f) < m.Dim {
				floats.AddScaled(out, x.Val[n], m.W[int(f)*c:int(f)*c+c])
			}
		}
		return
	}
	// Summed in float32 with the vector routine, then widened.
	acc := make([]float32, c)
	for n, f := range x.Idx {
		if int(f) < m.Dim {
			blas32.Implementation().Saxpy(c, float32(x.Val[n]), m.w32[int(f)*c:int(f)*c+c],
				1, acc, 1)
		}
	}
	for k := range out {
		out[k] = m.B[k] + float64(acc[k])
	}
}

// Probabilities writes the class probabilities of x into out (len Classes).
func (m *Model) Probabilities(x feature.Vector, out []float64) {
	m.Scores(x, out)
	Softmax(out)
}

// Softmax turns scores into probabilities in place.
func Softmax(s []float64) {
	if len(s) == 0 {
		return
	}
	top := s[0]
	for _, v := range s[1:] {
		top = max(top, v)
	}
	sum := 0.0
	for i, v := range s {
		e := math.Exp(v - top)
		s[i] = e
		sum += e
	}
	for i := range s {
		s[i] /= sum
	}
}

// Round32 rounds every weight to float32 precision, so that a model written
// as float32 and read back predicts bit for bit as before.
func (m *Model) Round32() {
	m.w32 = make([]float32, len(m.W))
	for i, w := range m.W {
		m.w32[i] = float32(w)
		m.W[i] = float64(m.w32[i])
	}
	for i, b := range m.B {
		m.B[i] = float64(float32(b))
	}
}

// MarshalBinary writes the model compactly: the sizes, then every weight as
// a little-endian float32 (weights are kept at float32 precision).
func (m *Model) MarshalBinary() ([]byte, error) {
	out := make([]byte, 0, 8+4*(len(m.W)+len(m.B)))
	out = binary.LittleEndian.AppendUint32(out, uint32(m.Classes))
	out = binary.LittleEndian.AppendUint32(out, uint32(m.Dim))
	for _, w := range m.W {
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(float32(w)))
	}
	for _, b := range m.B {
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(float32(b)))
	}
	return out, nil
}

// UnmarshalBinary reads what MarshalBinary wrote.
func (m *Model) UnmarshalBinary(data []byte) error {
	if len(data) < 8 {
		return fmt.Errorf("%w: truncated weights", ErrInput)
	}
	c := int(binary.LittleEndian.Uint32(data))
	d := int(binary.LittleEndian.Uint32(data[4:]))
	if c <= 0 || d < 0 || uint64(len(data)-8) != 4*(uint64(c)*uint64(d)+uint64(c)) {
		return fmt.Errorf("%w: weights of %d bytes do not fit %d classes × %d features",
			ErrInput, len(data), c, d)
	}
	m.Classes, m.Dim = c, d
	vals := make([]float64, c*d+c)
	for i := range vals {
		vals[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(data[8+4*i:])))
	}
	m.W, m.B = vals[:c*d], vals[c*d:]
	m.Round32()
	return nil
}
