package feature

import (
	"math"
	"testing"

	"github.com/parley-chat/parley/internal/nlu/token"
)

func TestTransform(t *testing.T) {
	f := New([]CountVectors{{Analyzer: Word, MinN: 1, MaxN: 2, Lowercase: true},
		{Analyzer: CharWB, MinN: 2, MaxN: 3, Lowercase: true}})
	docs := [][]token.Token{token.Split("hello there"), token.Split("good morning"),
		token.Split("hello hello")}
	f.Fit(docs, 1)
	v := f.Transform(token.Split("Hello there"), []int{0})
	norm := 0.0
	for i, x := range v.Val {
		norm += x * x
		if i > 0 && v.Idx[i] <= v.Idx[i-1] {
			t.Fatalf("indices not increasing: %v", v.Idx)
		}
	}
	if math.Abs(norm-1) > 1e-9 || v.Idx[len(v.Idx)-1] != f.PatternBase {
		t.Errorf("norm %v, last index %d (pattern base %d)", norm, v.Idx[len(v.Idx)-1], f.PatternBase)
	}
	// "hello there" and "Hello there" share every feature.
	w := f.Transform(token.Split("hello there"), []int{0})
	if len(w.Idx) != len(v.Idx) {
		t.Errorf("case changed the features: %d vs %d", len(w.Idx), len(v.Idx))
	}
	if u := f.Transform(token.Split("zzz"), nil); u.Len() != 0 {
		t.Errorf("unknown text has features %v", u)
	}
	if err := (CountVectors{Analyzer: "chars", MinN: 1, MaxN: 1}).Validate(); err == nil {
		t.Error("bad analyzer accepted")
	}
}

func TestIndex(t *testing.T) {
	keys := []uint64{0, 1, 1 << 63, 42, 42, 0x9e3779b97f4a7c15, 7}
	x := NewIndex(keys)
	for i, k := range keys {
		id, ok := x.Get(k)
		if !ok || int(id) != i && k != 42 || k == 42 && id != 3 {
			t.Errorf("Get(%d) = %d, %v", k, id, ok)
		}
	}
	if _, ok := x.Get(99); ok {
		t.Error("unknown key found")
	}
	if x.Len() != 6 {
		t.Errorf("Len = %d", x.Len())
	}
	var empty *Index
	if _, ok := empty.Get(1); ok {
		t.Error("nil index found a key")
	}
}
