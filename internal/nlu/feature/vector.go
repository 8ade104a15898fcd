package feature

import "math"

// Vector is a sparse vector: Idx holds increasing feature indices and Val
// their values.
type Vector struct {
	Idx []int32
	Val []float64
}

// Len returns the number of stored entries.
func (v Vector) Len() int { return len(v.Idx) }

// Normalize scales v to unit L2 length (a zero vector stays zero).
func (v Vector) Normalize() {
	s := 0.0
	for _, x := range v.Val {
		s += x * x
	}
	if s == 0 {
		return
	}
	inv := 1 / math.Sqrt(s)
	for i := range v.Val {
		v.Val[i] *= inv
	}
}

// hash mixing: FNV-1a over bytes, seeded per feature block.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// mixRune adds one rune to a running FNV-1a hash.
func mixRune(h uint64, r rune) uint64 {
	for r > 0 {
		h ^= uint64(r & 0xff)
		h *= fnvPrime
		r >>= 8
	}
	h ^= 0x5b // a rune separator so that multi-byte runes do not collide
	h *= fnvPrime
	return h
}

// mixString adds a string to a running hash.
func mixString(h uint64, s string) uint64 {
	for _, r := range s {
		h = mixRune(h, r)
	}
	return h
}

// Hash returns the feature hash of s in block seed; exported for packages
// that build their own feature strings (the CRF).
func Hash(seed uint64, s string) uint64 {
	return mixString(fnvOffset^seed*0x9e3779b97f4a7c15, s)
}
