package feature

import (
	"testing"

	"github.com/parley-chat/parley/internal/nlu/token"
)

func TestStemEnglish(t *testing.T) {
	groups := [][]string{
		{"earn", "earns", "earned", "earning", "earnings"},
		{"make", "makes", "making"},
		{"stop", "stops", "stopped", "stopping"},
		{"account", "accounts"},
		{"city", "cities"},
		{"pass", "passes", "passed"},
	}
	for _, g := range groups {
		want := stemEnglish(g[0])
		for _, w := range g[1:] {
			if got := stemEnglish(w); got != want {
				t.Errorf("stem(%q) = %q, stem(%q) = %q: want the same", w, got, g[0], want)
			}
		}
	}
	// Short words, other scripts and words with digits stay as they are;
	// -s after s, u or i is not a plural.
	for _, w := range []string{"bus", "is", "this", "status", "größe", "dogs2", "was", "bed"} {
		if got := stemEnglish(w); got != w {
			t.Errorf("stem(%q) = %q, want it unchanged", w, got)
		}
	}
}

// A word block with stems gives an inflection unseen in training a
// feature shared with the training word; without stems it gets none.
func TestStemsLinkInflections(t *testing.T) {
	for _, stems := range []bool{false, true} {
		f := New([]CountVectors{{Analyzer: Word, MinN: 1, MaxN: 1, Lowercase: true,
			Stems: stems}})
		f.Fit([][]token.Token{token.Split("what did I earn"), token.Split("hello")}, 0)
		v := f.Transform(token.Split("earnings"), nil)
		if got := len(v.Idx) > 0; got != stems {
			t.Errorf("stems %v: unseen inflection has features %v", stems, v.Idx)
		}
	}
}
