package duckling

import (
	"strings"
	"unicode"
)

// tokKind tells what a token is made of.
type tokKind uint8

const (
	kindWord   tokKind = iota + 1 // letters, with inner apostrophes
	kindDigits                    // ASCII digits
	kindSymbol                    // any other single non-space rune
)

// token is one piece of the message. Start and End are code point offsets,
// the unit Rasa uses for entity spans.
type token struct {
	text  string // lower-cased
	raw   string // as written
	kind  tokKind
	start int
	end   int
}

// doc is a tokenized message plus per-position caches shared by the
// extractors of one call.
type doc struct {
	runes []rune
	toks  []token
	lang  *Language
	nums  []numMemo
	roles []uint64   // grammar roles of each token
	parts []specMemo // timeComponent by position
	comps []specMemo // composite by position
	// dayFirst reads "3/4" as the 3rd of April (en_GB) instead of
	// March 4th (en_US).
	dayFirst bool
}

// numMemo caches numberAt for one token position.
type numMemo struct {
	done bool
	m    numMatch
	ok   bool
}

// newDoc tokenizes text for the extractors.
func newDoc(text string, lang *Language) *doc {
	d := &doc{runes: []rune(text), lang: lang}
	d.toks = tokenize(d.runes)
	d.nums = make([]numMemo, len(d.toks))
	d.roles = lang.rolesOf(d.toks)
	d.parts = make([]specMemo, len(d.toks))
	d.comps = make([]specMemo, len(d.toks))
	return d
}

// tokenize splits runes into words, digit runs and single symbols.
func tokenize(runes []rune) []token {
	var toks []token
	for i := 0; i < len(runes); {
		r := runes[i]
		if unicode.IsSpace(r) {
			i++
			continue
		}
		j := i + 1
		kind := kindSymbol
		switch {
		case isASCIIDigit(r):
			kind = kindDigits
			for j < len(runes) && isASCIIDigit(runes[j]) {
				j++
			}
		case unicode.IsLetter(r):
			kind = kindWord
			j = wordEnd(runes, i)
		}
		raw := string(runes[i:j])
		toks = append(toks, token{
			text: strings.ToLower(strings.ReplaceAll(raw, "’", "'")),
			raw:  raw, kind: kind, start: i, end: j,
		})
		i = j
	}
	return toks
}

// wordEnd returns the end of the word starting at i; an apostrophe between
// two letters ("o'clock", "valentine's") stays inside the word.
func wordEnd(runes []rune, i int) int {
	j := i + 1
	for j < len(runes) {
		r := runes[j]
		if unicode.IsLetter(r) || unicode.IsMark(r) {
			j++
			continue
		}
		isApos := r == '\'' || r == '’'
		if isApos && j+1 < len(runes) && unicode.IsLetter(runes[j+1]) {
			j += 2
			continue
		}
		break
	}
	return j
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

// has reports whether token i exists.
func (d *doc) has(i int) bool { return i >= 0 && i < len(d.toks) }

// is reports whether token i is one of words (lower-case forms).
func (d *doc) is(i int, words ...string) bool {
	if !d.has(i) {
		return false
	}
	for _, w := range words {
		if d.toks[i].text == w {
			return true
		}
	}
	return false
}

// glued reports whether token i starts where token i-1 ends.
func (d *doc) glued(i int) bool {
	return i > 0 && d.has(i) && d.toks[i].start == d.toks[i-1].end
}

// digits returns the value of token i when it is a digit run of at most
// maxLen digits.
func (d *doc) digits(i, maxLen int) (int, bool) {
	if !d.has(i) || d.toks[i].kind != kindDigits || len(d.toks[i].text) > maxLen {
		return 0, false
	}
	n := 0
	for _, c := range d.toks[i].text {
		n = n*10 + int(c-'0')
	}
	return n, true
}

// skipDot steps over a "." glued to token i-1 (as in "mon." or "deg.").
func (d *doc) skipDot(i int) int {
	if d.is(i, ".") && d.glued(i) {
		return i + 1
	}
	return i
}

// span returns the code point range covered by tokens [i, j).
func (d *doc) span(i, j int) (int, int) {
	return d.toks[i].start, d.toks[j-1].end
}

// boundaryOK reports whether a match over runes [s, e) does not cut a word
// or a number in two: the rune before s and the rune after e must be of a
// different class (letter, digit, or that very symbol) than the runes
// inside.
func (d *doc) boundaryOK(s, e int) bool {
	if s > 0 && runeClass(d.runes[s-1]) == runeClass(d.runes[s]) {
		return false
	}
	if e < len(d.runes) && runeClass(d.runes[e-1]) == runeClass(d.runes[e]) {
		return false
	}
	return true
}

func runeClass(r rune) rune {
	switch {
	case unicode.IsLetter(r):
		return 'a'
	case unicode.IsDigit(r):
		return '0'
	}
	return r
}
