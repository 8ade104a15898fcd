package policy

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
)

// net is a feed-forward network over sparse inputs with a softmax output:
// the logits are a ReLU hidden layer's output plus a linear path from the
// inputs ("wide and deep"). The input weights are stored as one row per
// input feature, so a forward pass only reads the rows of the features
// that are present.
type net struct {
	In, Hidden, Out int
	W1              []float64 // In rows of Hidden
	B1              []float64 // Hidden
	W2              []float64 // Out rows of Hidden
	B2              []float64 // Out
	// V is the linear (wide) path from the inputs to the outputs, In rows
	// of Out.
	V []float64
	// Scale is the value of each input feature when present (1 when
	// nil); it is not saved but derived from the feature names.
	Scale []float64
}

// scale returns the input value of feature f.
func (n *net) scale(f int) float64 {
	if n.Scale == nil {
		return 1
	}
	return n.Scale[f]
}

// newNet returns a network with small random weights drawn from rng; nnz is
// the typical number of features present in one input.
func newNet(in, hidden, out, nnz int, rng *rand.Rand) *net {
	n := &net{In: in, Hidden: hidden, Out: out,
		W1: make([]float64, in*hidden), B1: make([]float64, hidden),
		W2: make([]float64, out*hidden), B2: make([]float64, out),
		V: make([]float64, in*out)}
	// He initialisation for the sum of about nnz rows, Glorot for the rest.
	a1 := math.Sqrt(6 / float64(max(nnz, 1)))
	for i := range n.W1 {
		n.W1[i] = (2*rng.Float64() - 1) * a1
	}
	a2 := math.Sqrt(6 / float64(hidden+out))
	for i := range n.W2 {
		n.W2[i] = (2*rng.Float64() - 1) * a2
	}
	return n
}

// forward computes the hidden activations into h and the softmax
// probabilities into probs for the input features x.
func (n *net) forward(x []int, h, probs []float64) {
	copy(h, n.B1)
	for _, f := range x {
		row := n.W1[f*n.Hidden : (f+1)*n.Hidden]
		v := n.scale(f)
		for j, w := range row {
			h[j] += v * w
		}
	}
	for j, v := range h {
		h[j] = max(v, 0)
	}
	copy(probs, n.B2)
	for _, f := range x {
		row := n.V[f*n.Out : (f+1)*n.Out]
		v := n.scale(f)
		for a, w := range row {
			probs[a] += v * w
		}
	}
	maxZ := math.Inf(-1)
	for a := range probs {
		z := probs[a]
		row := n.W2[a*n.Hidden : (a+1)*n.Hidden]
		for j, w := range row {
			z += w * h[j]
		}
		probs[a] = z
		maxZ = max(maxZ, z)
	}
	sum := 0.0
	for a, z := range probs {
		probs[a] = math.Exp(z - maxZ)
		sum += probs[a]
	}
	for a := range probs {
		probs[a] /= sum
	}
}

// predict returns the softmax probabilities for x.
func (n *net) predict(x []int) []float64 {
	h := make([]float64, n.Hidden)
	probs := make([]float64, n.Out)
	n.forward(x, h, probs)
	return probs
}

// roundToFloat32 rounds every weight to float32 precision, the precision
// it is saved with, so that a loaded network predicts exactly as the
// trained one.
func (n *net) roundToFloat32() {
	for _, s := range [][]float64{n.W1, n.B1, n.W2, n.B2, n.V} {
		for i, v := range s {
			s[i] = float64(float32(v))
		}
	}
}

// savedNet is the JSON form of a network: each weight list is base64 of
// little-endian float32 values.
type savedNet struct {
	In     int    `json:"in"`
	Hidden int    `json:"hidden"`
	Out    int    `json:"out"`
	W1     string `json:"w1"`
	B1     string `json:"b1"`
	W2     string `json:"w2"`
	B2     string `json:"b2"`
	V      string `json:"v"`
}

// MarshalJSON writes the weights compactly (float32, base64).
func (n *net) MarshalJSON() ([]byte, error) {
	return json.Marshal(savedNet{In: n.In, Hidden: n.Hidden, Out: n.Out,
		W1: encodeFloats(n.W1), B1: encodeFloats(n.B1),
		W2: encodeFloats(n.W2), B2: encodeFloats(n.B2), V: encodeFloats(n.V)})
}

// UnmarshalJSON reads what MarshalJSON wrote and checks the sizes.
func (n *net) UnmarshalJSON(data []byte) error {
	var s savedNet
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	if s.In < 0 || s.Hidden <= 0 || s.Out <= 0 {
		return fmt.Errorf("learned policy network: bad sizes %d×%d×%d", s.In, s.Hidden, s.Out)
	}
	n.In, n.Hidden, n.Out = s.In, s.Hidden, s.Out
	for _, f := range []struct {
		name string
		text string
		size int
		dst  *[]float64
	}{
		{"w1", s.W1, s.In * s.Hidden, &n.W1}, {"b1", s.B1, s.Hidden, &n.B1},
		{"w2", s.W2, s.Out * s.Hidden, &n.W2}, {"b2", s.B2, s.Out, &n.B2},
		{"v", s.V, s.In * s.Out, &n.V},
	} {
		v, err := decodeFloats(f.text, f.size)
		if err != nil {
			return fmt.Errorf("learned policy network %s: %w", f.name, err)
		}
		*f.dst = v
	}
	return nil
}

func encodeFloats(v []float64) string {
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(float32(f)))
	}
	return base64.StdEncoding.EncodeToString(b)
}

func decodeFloats(s string, size int) ([]float64, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if len(b) != 4*size {
		return nil, fmt.Errorf("%d bytes, want %d", len(b), 4*size)
	}
	out := make([]float64, size)
	for i := range out {
		out[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
	}
	return out, nil
}
