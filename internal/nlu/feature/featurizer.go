package feature

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/parley-chat/parley/internal/nlu/token"
)

// Analyzer names what a CountVectors block counts.
type Analyzer string

// The analyzers of CountVectorsFeaturizer.
const (
	Word   Analyzer = "word"
	Char   Analyzer = "char"
	CharWB Analyzer = "char_wb"
)

// CountVectors is one CountVectorsFeaturizer block.
type CountVectors struct {
	Analyzer Analyzer
	MinN     int
	MaxN     int
	// MinDF drops n-grams seen in fewer training messages; MaxDF (a
	// fraction, 0 meaning 1) drops those seen in more.
	MinDF int
	MaxDF float64
	// MaxFeatures keeps only the most frequent n-grams (0: all).
	MaxFeatures int
	// Pattern, when set, chooses which parts of each token count as words.
	Pattern *token.Pattern `json:"-"`
	// Lowercase folds case before counting (CountVectorsFeaturizer's default).
	Lowercase bool
	// Stems adds, in a word block, each word's English stem as a feature
	// of its own (see stemEnglish), so that inflections seen in training
	// count for a message that uses another one.
	Stems bool
}

// Validate checks the block's settings.
func (c CountVectors) Validate() error {
	switch c.Analyzer {
	case Word, Char, CharWB:
	default:
		return fmt.Errorf("%w: analyzer %q (use word, char or char_wb)", ErrOption, c.Analyzer)
	}
	if c.MinN < 1 || c.MaxN < c.MinN || c.MaxN > 10 {
		return fmt.Errorf("%w: min_ngram %d and max_ngram %d (need 1 <= min <= max <= 10)",
			ErrOption, c.MinN, c.MaxN)
	}
	if c.MaxDF < 0 || c.MaxDF > 1 {
		return fmt.Errorf("%w: max_df %v (need a fraction between 0 and 1)", ErrOption, c.MaxDF)
	}
	return nil
}

// ngrams calls emit with the hash of every n-gram of toks in block b.
func (c CountVectors) ngrams(b int, toks []token.Token, emit func(uint64)) {
	seed := fnvOffset ^ uint64(b+1)*0x9e3779b97f4a7c15
	words := c.words(toks)
	if c.Analyzer == Word {
		for i := range words {
			if c.Stems && c.MinN <= 1 {
				emit(mixString(seed^stemSeed, stemEnglish(words[i])))
			}
			h := seed
			for n := 1; n <= c.MaxN && i+n <= len(words); n++ {
				if n > 1 {
					h = mixRune(h, ' ')
				}
				h = mixString(h, words[i+n-1])
				if n >= c.MinN {
					emit(h)
				}
			}
		}
		return
	}
	if c.Analyzer == CharWB {
		for _, w := range words {
			charNgrams(seed, " "+w+" ", c.MinN, c.MaxN, emit)
		}
		return
	}
	charNgrams(seed, strings.Join(words, " "), c.MinN, c.MaxN, emit)
}

// words returns the (lowercased) word strings the block counts.
func (c CountVectors) words(toks []token.Token) []string {
	return c.appendWords(make([]string, 0, len(toks)), toks)
}

// appendWords appends the (lowercased) word strings the block counts to out.
func (c CountVectors) appendWords(out []string, toks []token.Token) []string {
	for _, t := range toks {
		s := t.Text
		if c.Lowercase {
			s = strings.ToLower(s)
		}
		if c.Pattern == nil {
			out = append(out, s)
			continue
		}
		for _, m := range c.Pattern.Matches(s) {
			if m[1] > m[0] {
				out = append(out, s[m[0]:m[1]])
			}
		}
	}
	return out
}

// charNgrams emits the hash of each character n-gram of s.
func charNgrams(seed uint64, s string, minN, maxN int, emit func(uint64)) {
	for i := 0; i < len(s); {
		h := seed
		j := i
		for n := 1; n <= maxN && j < len(s); n++ {
			r, size := utf8.DecodeRuneInString(s[j:])
			h = mixRune(h, r)
			j += size
			if n >= minN && !(n == 1 && r == ' ') {
				emit(h)
			}
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
}

// Featurizer maps messages to TF-IDF vectors over a fixed vocabulary.
type Featurizer struct {
	blocks []CountVectors
	// Patterns is the number of regex and lookup patterns; pattern k adds
	// the feature index PatternBase+k when it matches the message.
	Patterns    int
	PatternBase int32
	// Keys and IDF describe the vocabulary: Keys sorted, IDF by index.
	Keys  []uint64
	IDF   []float64
	index *Index
	cache *wordCache
}

// Dim returns the number of features, including the pattern features.
func (f *Featurizer) Dim() int { return len(f.Keys) + f.Patterns }

// collect returns the block n-gram hashes of a message, sorted, with repeats.
func (f *Featurizer) collect(toks []token.Token, buf []uint64) []uint64 {
	buf = buf[:0]
	for b, c := range f.blocks {
		c.ngrams(b, toks, func(h uint64) { buf = append(buf, h) })
	}
	slices.Sort(buf)
	return buf
}

// Fit builds the vocabulary and IDF weights from the training messages.
func (f *Featurizer) Fit(docs [][]token.Token, patterns int) {
	df := map[uint64]int{}
	var buf []uint64
	for _, toks := range docs {
		buf = f.collect(toks, buf)
		for i, h := range buf {
			if i == 0 || buf[i-1] != h {
				df[h]++
			}
		}
	}
	f.Keys = f.Keys[:0]
	for h, n := range df {
		if f.keep(n, len(docs)) {
			f.Keys = append(f.Keys, h)
		}
	}
	f.Keys = f.limit(f.Keys, df)
	slices.Sort(f.Keys)
	f.IDF = make([]float64, len(f.Keys))
	for i, h := range f.Keys {
		f.IDF[i] = math.Log(float64(1+len(docs))/float64(1+df[h])) + 1
	}
	f.Patterns = patterns
	f.PatternBase = int32(len(f.Keys))
	f.buildIndex()
}

// keep applies the strictest min_df / max_df of all blocks.
func (f *Featurizer) keep(df, n int) bool {
	for _, c := range f.blocks {
		if c.MinDF > 1 && df < c.MinDF {
			return false
		}
		if c.MaxDF > 0 && c.MaxDF < 1 && float64(df) > c.MaxDF*float64(n) {
			return false
		}
	}
	return true
}

// limit keeps the most frequent keys when a block sets max_features.
func (f *Featurizer) limit(keys []uint64, df map[uint64]int) []uint64 {
	most := 0
	for _, c := range f.blocks {
		if c.MaxFeatures > 0 && (most == 0 || c.MaxFeatures < most) {
			most = c.MaxFeatures
		}
	}
	if most == 0 || len(keys) <= most {
		return keys
	}
	slices.SortFunc(keys, func(a, b uint64) int {
		return cmp.Or(cmp.Compare(df[b], df[a]), cmp.Compare(a, b))
	})
	return keys[:most]
}

// buildIndex rebuilds the lookup map after Fit or loading.
func (f *Featurizer) buildIndex() {
	f.index = NewIndex(f.Keys)
	f.cache = &wordCache{blocks: make([]sync.Map, len(f.blocks))}
}

// New returns an untrained Featurizer with the given blocks.
func New(blocks []CountVectors) *Featurizer { return &Featurizer{blocks: blocks} }

// Restore prepares a Featurizer read from a saved model for use; the blocks
// are not saved with it and must be given again.
func (f *Featurizer) Restore(blocks []CountVectors) {
	f.blocks = blocks
	f.buildIndex()
}

// Transform returns the L2-normalised TF-IDF vector of a message; hits lists
// the regex and lookup patterns that matched it.
func (f *Featurizer) Transform(toks []token.Token, hits []int) Vector {
	sc, _ := transformPool.Get().(*transformScratch)
	if sc == nil {
		sc = &transformScratch{ids: make([]int32, 0, 256)}
	}
	defer transformPool.Put(sc)
	ids := sc.ids[:0]
	for b, c := range f.blocks {
		sc.words = c.appendWords(sc.words[:0], toks)
		ids = f.appendIDs(ids, b, c, sc.words)
	}
	slices.Sort(ids)
	sc.ids = ids
	sc.hits = append(sc.hits[:0], hits...)
	slices.Sort(sc.hits)
	sc.hits = slices.Compact(sc.hits)
	v := f.vector(ids, sc.hits)
	v.Normalize()
	return v
}

// vector turns sorted n-gram ids (with repeats) and sorted distinct pattern
// hits into an unnormalised TF-IDF vector.
func (f *Featurizer) vector(ids []int32, hits []int) Vector {
	distinct := 0
	for i := range ids {
		if i == 0 || ids[i] != ids[i-1] {
			distinct++
		}
	}
	v := Vector{Idx: make([]int32, 0, distinct+len(hits)),
		Val: make([]float64, 0, distinct+len(hits))}
	for i := 0; i < len(ids); {
		j := i
		for j < len(ids) && ids[j] == ids[i] {
			j++
		}
		v.Idx = append(v.Idx, ids[i])
		v.Val = append(v.Val, sublinearTF(j-i)*f.IDF[ids[i]])
		i = j
	}
	for _, p := range hits {
		if p >= 0 && p < f.Patterns {
			v.Idx = append(v.Idx, f.PatternBase+int32(p))
			v.Val = append(v.Val, 1)
		}
	}
	return v
}

// transformScratch is the reusable memory of one Transform call.
type transformScratch struct {
	ids   []int32
	hits  []int
	words []string
}

var transformPool sync.Pool // *transformScratch

// appendIDs appends the vocabulary ids of block b's n-grams of words, with
// repeats. A word's own n-grams (its character n-grams, or the word itself)
// come from the word cache.
func (f *Featurizer) appendIDs(ids []int32, b int, c CountVectors, words []string) []int32 {
	seed := fnvOffset ^ uint64(b+1)*0x9e3779b97f4a7c15
	lookup := func(h uint64) {
		if k, ok := f.index.Get(h); ok {
			ids = append(ids, k)
		}
	}
	switch c.Analyzer {
	case CharWB:
		for _, w := range words {
			ids = append(ids, f.wordIDs(b, c, seed, w)...)
		}
	case Word:
		for i := range words {
			if c.MinN <= 1 {
				ids = append(ids, f.wordIDs(b, c, seed, words[i])...)
			}
			h := mixString(seed, words[i])
			for n := 2; n <= c.MaxN && i+n <= len(words); n++ {
				h = mixString(mixRune(h, ' '), words[i+n-1])
				if n >= c.MinN {
					lookup(h)
				}
			}
		}
	default:
		charNgrams(seed, strings.Join(words, " "), c.MinN, c.MaxN, lookup)
	}
	return ids
}

// wordCacheLimit bounds the words a Featurizer remembers.
const wordCacheLimit = 1 << 16

// wordCache remembers, per block and word, the vocabulary ids of the
// word's own n-grams: most words of a message were seen before, and their
// n-grams then need neither hashing nor lookups. Safe for concurrent use.
type wordCache struct {
	blocks []sync.Map // per block: word → []int32
	size   atomic.Int64
}

// wordIDs returns the ids of the char_wb n-grams of w, or of the word
// itself for a word block.
func (f *Featurizer) wordIDs(b int, c CountVectors, seed uint64, w string) []int32 {
	m := &f.cache.blocks[b]
	if v, ok := m.Load(w); ok {
		return v.([]int32)
	}
	var ids []int32
	lookup := func(h uint64) {
		if k, ok := f.index.Get(h); ok {
			ids = append(ids, k)
		}
	}
	if c.Analyzer == CharWB {
		charNgrams(seed, " "+w+" ", c.MinN, c.MaxN, lookup)
	} else {
		lookup(mixString(seed, w))
		if c.Stems {
			lookup(mixString(seed^stemSeed, stemEnglish(w)))
		}
	}
	if f.cache.size.Load() < wordCacheLimit {
		f.cache.size.Add(1)
		m.Store(strings.Clone(w), ids)
	}
	return ids
}

// sublinearTF is 1 + ln(n), from a table for the usual small counts.
func sublinearTF(n int) float64 {
	if n < len(tfTable) {
		return tfTable[n]
	}
	return 1 + math.Log(float64(n))
}

var tfTable = func() [16]float64 {
	var t [16]float64
	for n := 1; n < len(t); n++ {
		t[n] = 1 + math.Log(float64(n))
	}
	return t
}()
