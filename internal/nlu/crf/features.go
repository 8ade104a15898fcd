package crf

import (
	"strings"
	"unicode"

	"github.com/parley-chat/parley/internal/nlu/feature"
	"github.com/parley-chat/parley/internal/nlu/token"
)

// Feature templates; each seeds the hash of its value.
const (
	fBias = iota
	fWord
	fPrefix2
	fPrefix3
	fPrefix5
	fSuffix2
	fSuffix3
	fSuffix5
	fShape
	fShort
	fFlags
	fPattern
	fPrevWord
	fNextWord
	fPrev2Word
	fNext2Word
	fPrevShape
	fNextShape
	fBigramPrev
	fBigramNext
	fPrevPattern
	fNextPattern
)

// tokenInfo is what the templates read from one token.
type tokenInfo struct {
	lower, shape, short string
	flags               string
}

func describe(t token.Token) tokenInfo {
	var shape, short strings.Builder
	upper, lower, digit, alpha := 0, 0, 0, 0
	var prev rune = -1
	for _, r := range t.Text {
		c := 'x'
		switch {
		case unicode.IsUpper(r):
			c, upper = 'X', upper+1
		case unicode.IsLower(r):
			lower++
		case unicode.IsDigit(r):
			c, digit = 'd', digit+1
		case unicode.IsLetter(r) || unicode.IsMark(r):
			alpha++
		default:
			c = r
		}
		if shape.Len() < 8 {
			shape.WriteRune(c)
		}
		if c != prev {
			short.WriteRune(c)
			prev = c
		}
	}
	flags := []byte("----")
	n := upper + lower + digit + alpha
	if upper > 0 && lower == 0 && digit == 0 {
		flags[0] = 'U'
	}
	if r := []rune(t.Text); len(r) > 0 && unicode.IsUpper(r[0]) && lower > 0 {
		flags[1] = 'T'
	}
	if digit > 0 && digit == n {
		flags[2] = 'D'
	} else if digit > 0 {
		flags[2] = 'd'
	}
	if n == 0 {
		flags[3] = 'P'
	}
	return tokenInfo{lower: strings.ToLower(t.Text), shape: shape.String(),
		short: short.String(), flags: string(flags)}
}

// attributes returns the feature hashes of every token of a sentence.
func attributes(toks []token.Token, hits [][]string) [][]uint64 {
	info := make([]tokenInfo, len(toks))
	for i, t := range toks {
		info[i] = describe(t)
	}
	out := make([][]uint64, len(toks))
	for i := range toks {
		out[i] = tokenAttributes(info, hits, i)
	}
	return out
}

func tokenAttributes(info []tokenInfo, hits [][]string, i int) []uint64 {
	cur := info[i]
	at := make([]uint64, 0, 24)
	add := func(tmpl int, v string) { at = append(at, feature.Hash(uint64(tmpl), v)) }
	add(fBias, "")
	add(fWord, cur.lower)
	r := []rune(cur.lower)
	for _, n := range []struct{ tmpl, n int }{{fPrefix2, 2}, {fPrefix3, 3}, {fPrefix5, 5}} {
		if len(r) > n.n {
			add(n.tmpl, string(r[:n.n]))
		}
	}
	for _, n := range []struct{ tmpl, n int }{{fSuffix2, 2}, {fSuffix3, 3}, {fSuffix5, 5}} {
		if len(r) > n.n {
			add(n.tmpl, string(r[len(r)-n.n:]))
		}
	}
	add(fShape, cur.shape)
	add(fShort, cur.short)
	add(fFlags, cur.flags)
	prev, prev2, next, next2 := "<s>", "<s>", "</s>", "</s>"
	prevShape, nextShape := "<s>", "</s>"
	if i > 0 {
		prev, prevShape = info[i-1].lower, info[i-1].short+info[i-1].flags
	}
	if i > 1 {
		prev2 = info[i-2].lower
	}
	if i+1 < len(info) {
		next, nextShape = info[i+1].lower, info[i+1].short+info[i+1].flags
	}
	if i+2 < len(info) {
		next2 = info[i+2].lower
	}
	add(fPrevWord, prev)
	add(fNextWord, next)
	add(fPrev2Word, prev2)
	add(fNext2Word, next2)
	add(fPrevShape, prevShape)
	add(fNextShape, nextShape)
	add(fBigramPrev, prev+" "+cur.lower)
	add(fBigramNext, cur.lower+" "+next)
	if hits != nil {
		for _, h := range hits[i] {
			add(fPattern, h)
		}
		if i > 0 {
			for _, h := range hits[i-1] {
				add(fPrevPattern, h)
			}
		}
		if i+1 < len(hits) {
			for _, h := range hits[i+1] {
				add(fNextPattern, h)
			}
		}
	}
	return at
}
