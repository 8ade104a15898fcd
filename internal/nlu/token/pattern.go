package token

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Pattern is a token pattern written in Python's re syntax, compiled for Go
// with Python's Unicode meaning of \w, \W, \d, \D, \s and \b.
type Pattern struct {
	re *regexp.Regexp
	// leadB and trailB are set when the pattern starts or ends with \b; the
	// word boundary is then checked in Unicode terms around each match.
	leadB, trailB bool
	source        string
}

const (
	wordClass  = `\p{L}\p{M}\p{N}_`
	digitClass = `\p{Nd}`
	spaceClass = `\s\p{Z}`
)

// CompilePattern translates a Python regular expression to Go. It accepts
// the (?u) flag (Unicode is always on) and fails with a clear message when
// the pattern uses what Go's regexp cannot do (look-around, back references).
func CompilePattern(src string) (*Pattern, error) {
	s := strings.ReplaceAll(src, "(?u)", "")
	if strings.Contains(s, "(?=") || strings.Contains(s, "(?!") ||
		strings.Contains(s, "(?<=") || strings.Contains(s, "(?<!") {
		return nil, fmt.Errorf("%w: %q uses look-around, which Parley's regexp engine "+
			"does not support", ErrPattern, src)
	}
	p := &Pattern{source: src}
	if strings.HasPrefix(s, `\b`) {
		p.leadB, s = true, s[2:]
	}
	if strings.HasSuffix(s, `\b`) && !strings.HasSuffix(s, `\\b`) {
		p.trailB, s = true, s[:len(s)-2]
	}
	goSrc, err := translate(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrPattern, src, err)
	}
	re, err := regexp.Compile(goSrc)
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrPattern, src, err)
	}
	p.re = re
	return p, nil
}

// String returns the pattern as written.
func (p *Pattern) String() string { return p.source }

// translate rewrites Python escapes to Go's RE2 syntax.
func translate(s string) (string, error) {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			if err := writeEscape(&b, s[i], inClass); err != nil {
				return "", err
			}
		case c == '[' && !inClass:
			inClass = true
			b.WriteByte(c)
			if i+1 < len(s) && s[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(s) && s[i+1] == ']' {
				b.WriteString(`\]`)
				i++
			}
		case c == ']' && inClass:
			inClass = false
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// writeEscape writes the Go form of the Python escape \c.
func writeEscape(b *strings.Builder, c byte, inClass bool) error {
	class := func(body string, negate bool) {
		switch {
		case inClass && !negate:
			b.WriteString(body)
		case negate:
			b.WriteString("[^" + body + "]")
		default:
			b.WriteString("[" + body + "]")
		}
	}
	switch c {
	case 'w':
		class(wordClass, false)
	case 'd':
		class(digitClass, false)
	case 's':
		class(spaceClass, false)
	case 'W', 'D', 'S':
		if inClass {
			return fmt.Errorf(`\%c inside [...] is not supported; write the class out`, c)
		}
		body := map[byte]string{'W': wordClass, 'D': digitClass, 'S': spaceClass}[c]
		class(body, true)
	case 'b', 'B':
		if inClass {
			b.WriteString(`\x08`)
			return nil
		}
		// Inside the pattern Go's ASCII word boundary is the closest RE2 has.
		b.WriteByte('\\')
		b.WriteByte(c)
	case 'Z':
		b.WriteString(`\z`)
	default:
		if c >= '1' && c <= '9' {
			return fmt.Errorf(`back reference \%c is not supported`, c)
		}
		b.WriteByte('\\')
		b.WriteByte(c)
	}
	return nil
}

// Tokens returns the non-empty matches of the pattern in text as tokens.
func (p *Pattern) Tokens(text string) []Token {
	var toks []Token
	for _, m := range p.Matches(text) {
		if m[1] > m[0] {
			toks = append(toks, Token{Text: text[m[0]:m[1]], Start: m[0], End: m[1]})
		}
	}
	return toks
}

// Matches returns the byte spans of the pattern's matches in text, honouring
// a leading or trailing \b as a Unicode word boundary.
func (p *Pattern) Matches(text string) [][2]int {
	var out [][2]int
	for pos := 0; pos <= len(text); {
		loc := p.re.FindStringIndex(text[pos:])
		if loc == nil {
			break
		}
		start, end := pos+loc[0], pos+loc[1]
		if (!p.leadB || wordBoundary(text, start)) && (!p.trailB || wordBoundary(text, end)) {
			out = append(out, [2]int{start, end})
			if end > start {
				pos = end
				continue
			}
		}
		_, size := utf8.DecodeRuneInString(text[start:])
		pos = start + max(size, 1)
	}
	return out
}

// wordBoundary reports whether byte offset i of text lies between a word
// character and a non-word character (or a text edge), in Unicode terms.
func wordBoundary(text string, i int) bool {
	before, after := false, false
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(text[:i])
		before = IsWordRune(r)
	}
	if i < len(text) {
		r, _ := utf8.DecodeRuneInString(text[i:])
		after = IsWordRune(r)
	}
	return before != after
}

// Translate returns the Go regexp source for a Python regular expression,
// with Python's Unicode classes; \b stays Go's ASCII word boundary.
func Translate(src string) (string, error) {
	s := strings.ReplaceAll(src, "(?u)", "")
	if strings.Contains(s, "(?=") || strings.Contains(s, "(?!") ||
		strings.Contains(s, "(?<=") || strings.Contains(s, "(?<!") {
		return "", fmt.Errorf("%w: %q uses look-around, which Go's regexp does not support",
			ErrPattern, src)
	}
	out, err := translate(s)
	if err != nil {
		return "", fmt.Errorf("%w: %q: %w", ErrPattern, src, err)
	}
	return out, nil
}
