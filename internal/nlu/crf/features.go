package crf

import (
	"unicode"
	"unicode/utf8"
)

// Feature templates; each seeds the hash of its value, so two templates
// never share a feature.
const (
	fBias = iota + 1
	fWord
	fPrefix
	fSuffix
	fShape
	fShort
	fPrevWord
	fNextWord
	fPrev2Word
	fNext2Word
	fPrevShape
	fNextShape
	fBigramPrev
	fBigramNext
	fPattern
	fPrevPattern
	fNextPattern
	fContext
	fContextWord
	fDict
	fPrevDict
	fNextDict
	fContextPrev
	fContextNext
	fContextShape
)

// Hashing: FNV-1a over bytes for strings, a multiply-xorshift mix for
// combining hashes. No feature string is ever built.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func mix(h, x uint64) uint64 {
	h ^= x
	h *= 0x9e3779b97f4a7c15
	return h ^ h>>29
}

// feat returns the feature of template tmpl with value hashes vs.
func feat(tmpl int, vs ...uint64) uint64 {
	h := mix(fnvOffset, uint64(tmpl))
	for _, v := range vs {
		h = mix(h, v)
	}
	return h
}

// Boundary words: the begin and end of the message as neighbours.
var (
	wordBOS = hashString(fnvOffset, "<s>")
	wordEOS = hashString(fnvOffset, "</s>")
)

// tokenInfo is what the templates read from one token, as hashes.
type tokenInfo struct {
	lower       string
	word        uint64 // hash of the lower-cased text
	shape       uint64 // X for upper, x for lower, d for digit, the rune otherwise (8 runes)
	short       uint64 // the shape with repeats collapsed, with the flags
	flags       uint64
	letterRunes int
}

// describe computes the token's hashes. lower is the lower-cased text.
func describe(text, lower string) tokenInfo {
	shape, short := uint64(fnvOffset), uint64(fnvOffset)
	upper, low, digit, other, n := 0, 0, 0, 0, 0
	prev := rune(-1)
	for _, r := range text {
		c := r
		switch {
		case unicode.IsUpper(r):
			c, upper = 'X', upper+1
		case unicode.IsLower(r):
			c, low = 'x', low+1
		case unicode.IsDigit(r):
			c, digit = 'd', digit+1
		case unicode.IsLetter(r) || unicode.IsMark(r):
			c, other = 'x', other+1
		}
		if n < 8 {
			shape = mix(shape, uint64(c))
		}
		n++
		if c != prev {
			short = mix(short, uint64(c))
			prev = c
		}
	}
	flags := uint64(0)
	if upper > 0 && low == 0 && digit == 0 {
		flags |= 1
	}
	if r, _ := utf8.DecodeRuneInString(text); unicode.IsUpper(r) && low > 0 {
		flags |= 2
	}
	switch {
	case digit > 0 && digit == upper+low+digit+other:
		flags |= 4
	case digit > 0:
		flags |= 8
	}
	if upper+low+digit+other == 0 {
		flags |= 16
	}
	return tokenInfo{lower: lower, word: hashString(fnvOffset, lower), shape: shape,
		short: mix(short, flags), flags: flags, letterRunes: n}
}

// runePrefix returns the first n runes of s, and whether s is longer.
func runePrefix(s string, n int) (string, bool) {
	i := 0
	for k := 0; k < n; k++ {
		if i >= len(s) {
			return s, false
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i], i < len(s)
}

// runeSuffix returns the last n runes of s, and whether s is longer.
func runeSuffix(s string, n int) (string, bool) {
	i := len(s)
	for k := 0; k < n; k++ {
		if i <= 0 {
			return s, false
		}
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:], i > 0
}

// sentenceFeatures computes the attribute hashes of the tokens of one
// message that are not in skip (nil: all tokens), appending them to buf.
// It returns the buffer and, per token, the end of its attributes in buf.
type sentenceFeatures struct {
	info    []tokenInfo
	hits    [][]string
	context []uint64
	dict    [][]uint64 // dictionary features per token
}

// tokenAttributes appends the attributes of token i to at.
func (s *sentenceFeatures) tokenAttributes(at []uint64, i int) []uint64 {
	cur := s.info[i]
	at = append(at, feat(fBias), feat(fWord, cur.word))
	for n := 1; n <= 4; n++ {
		if p, longer := runePrefix(cur.lower, n); longer {
			at = append(at, feat(fPrefix, uint64(n), hashString(fnvOffset, p)))
		}
		if p, longer := runeSuffix(cur.lower, n); longer {
			at = append(at, feat(fSuffix, uint64(n), hashString(fnvOffset, p)))
		}
	}
	at = append(at, feat(fShape, cur.shape), feat(fShort, cur.short))
	at, prev, next := s.neighbourAttributes(at, i)
	at = s.patternAttributes(at, i)
	for _, c := range s.context {
		at = append(at, feat(fContext, c), feat(fContextWord, c, cur.word),
			feat(fContextPrev, c, prev), feat(fContextNext, c, next),
			feat(fContextShape, c, cur.short))
	}
	if s.dict != nil {
		at = append(at, s.dict[i]...)
	}
	return at
}

// neighbourAttributes appends the words at i-2 … i+2, the bigrams around
// token i and the short shapes at i-1 and i+1; it returns the words at
// i-1 and i+1 too.
func (s *sentenceFeatures) neighbourAttributes(at []uint64, i int) ([]uint64, uint64,
	uint64) {
	cur := s.info[i]
	prev, prev2, next, next2 := wordBOS, wordBOS, wordEOS, wordEOS
	prevShape, nextShape := wordBOS, wordEOS
	if i > 0 {
		prev, prevShape = s.info[i-1].word, s.info[i-1].short
	}
	if i > 1 {
		prev2 = s.info[i-2].word
	}
	if i+1 < len(s.info) {
		next, nextShape = s.info[i+1].word, s.info[i+1].short
	}
	if i+2 < len(s.info) {
		next2 = s.info[i+2].word
	}
	at = append(at, feat(fPrevWord, prev), feat(fNextWord, next), feat(fPrev2Word, prev2),
		feat(fNext2Word, next2),
		feat(fBigramPrev, prev, cur.word), feat(fBigramNext, cur.word, next),
		feat(fPrevShape, prevShape), feat(fNextShape, nextShape))
	return at, prev, next
}

// patternAttributes appends the regex and lookup hits at i-1, i and i+1.
func (s *sentenceFeatures) patternAttributes(at []uint64, i int) []uint64 {
	if s.hits == nil {
		return at
	}
	for _, h := range s.hits[i] {
		at = append(at, feat(fPattern, hashString(fnvOffset, h)))
	}
	if i > 0 {
		for _, h := range s.hits[i-1] {
			at = append(at, feat(fPrevPattern, hashString(fnvOffset, h)))
		}
	}
	if i+1 < len(s.hits) {
		for _, h := range s.hits[i+1] {
			at = append(at, feat(fNextPattern, hashString(fnvOffset, h)))
		}
	}
	return at
}
