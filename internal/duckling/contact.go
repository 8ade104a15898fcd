package duckling

import (
	"regexp"
	"strconv"
	"strings"
)

// contactPatterns are the regular expressions of the language-free
// dimensions, compiled once per Extractor.
type contactPatterns struct {
	email, url, localURL, phone, isoDate *regexp.Regexp
	// spokenEmail is "alice at example dot com" in the language's words
	// (nil when the language has none).
	spokenEmail *regexp.Regexp
}

func newContactPatterns(l *Language) *contactPatterns {
	return &contactPatterns{
		email: regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}_\-]+(?:\.[\p{L}\p{N}_\-]+)+`),
		url: regexp.MustCompile(`(?:([a-zA-Z]+)://)?((?:[\w\-]+\.)+[a-zA-Z]{2,4}` +
			`(?::\d+)?)(/[^?\s#]*)?(\?[^\s#]+)?`),
		localURL: regexp.MustCompile(`(?:([a-zA-Z]+)://)?(localhost(?::\d+)?)` +
			`(/[^?\s#]*)?(\?[^\s#]+)?|([a-zA-Z]+)://([\w\-]+(?::\d+)?)(/[^?\s#]*)?(\?[^\s#]+)?`),
		phone: regexp.MustCompile(`(?:\(?\+(\d{1,3})\)?[\s.\-]*)?(\(?\d[\d().\-\s]*\d)` +
			`(?:\s*e?xt?\.?\s*(\d{1,6}))?`),
		isoDate:     regexp.MustCompile(`^\d{4}-\d{1,2}-\d{1,2}$`),
		spokenEmail: spokenEmailPattern(l),
	}
}

// runeIndex maps byte offsets of text to code point offsets.
type runeIndex []int

// Only offsets where a rune starts (and the end) are filled in; regexp
// matches always begin and end there.
func newRuneIndex(text string) runeIndex {
	idx := make(runeIndex, len(text)+1)
	n := 0
	for b := range text {
		idx[b] = n
		n++
	}
	idx[len(text)] = n
	return idx
}

// scanEmails finds email addresses.
func (d *doc) scanEmails(text string, ri runeIndex, p *contactPatterns) []match {
	var out []match
	for _, loc := range p.email.FindAllStringIndex(text, -1) {
		s, e := ri[loc[0]], ri[loc[1]]
		if !d.boundaryOK(s, e) {
			continue
		}
		v := text[loc[0]:loc[1]]
		out = append(out, match{dim: DimEmail, start: s, end: e, value: v,
			info: map[string]any{"value": v}})
	}
	if p.spokenEmail == nil {
		return out
	}
	written := len(out)
	for _, loc := range p.spokenEmail.FindAllStringSubmatchIndex(text, -1) {
		s, e := ri[loc[0]], ri[loc[1]]
		if !d.boundaryOK(s, e) || overlapsAny(out[:written], s, e) {
			// "me at john.doe+x@mail.com" holds one address, written.
			continue
		}
		v := spokenPart(text[loc[2]:loc[3]]) + "@" + spokenPart(text[loc[4]:loc[5]])
		out = append(out, match{dim: DimEmail, start: s, end: e, value: v,
			info: map[string]any{"value": v}})
	}
	return out
}

// overlapsAny reports whether [s, e) overlaps one of ms.
func overlapsAny(ms []match, s, e int) bool {
	for _, m := range ms {
		if s < m.end && m.start < e {
			return true
		}
	}
	return false
}

// spokenEmailPattern matches an address spoken with the language's words
// for "@" and ".": "alice at example.io", "jo dot b at mail dot com". The
// domain needs a dot, written or spoken, before a top-level domain.
func spokenEmailPattern(l *Language) *regexp.Regexp {
	if l == nil || l.spokenAt == "" || l.spokenDot == "" {
		return nil
	}
	at := `(?i:` + regexp.QuoteMeta(l.spokenAt) + `)`
	dot := `(?i:` + regexp.QuoteMeta(l.spokenDot) + `)`
	sep := `(?:\.|\s+` + dot + `\s+)`
	local := `[\p{L}\p{N}_%+\-]+(?:` + sep + `[\p{L}\p{N}_%+\-]+)*`
	// The last label is a top-level domain, letters only: "at 9.15" is a
	// time, not an address.
	domain := `[\p{L}\p{N}_\-]+(?:` + sep + `[\p{L}\p{N}_\-]+)*` + sep + `\p{L}{2,}\b`
	return regexp.MustCompile(`(` + local + `)\s+` + at + `\s+(` + domain + `)`)
}

// spokenPart writes the spoken dots of an address part as dots.
func spokenPart(s string) string {
	var b strings.Builder
	for i, f := range strings.Fields(s) {
		if i%2 == 1 { // the spoken dot between two labels
			b.WriteByte('.')
		} else {
			b.WriteString(f)
		}
	}
	return b.String()
}

// scanURLs finds web addresses, localhost ones and "proto://host" ones.
func (d *doc) scanURLs(text string, ri runeIndex, p *contactPatterns) []match {
	var out []match
	for _, re := range []*regexp.Regexp{p.url, p.localURL} {
		for _, loc := range re.FindAllStringSubmatchIndex(text, -1) {
			b, e := loc[0], trimURLEnd(text, loc[0], loc[1])
			s, end := ri[b], ri[e]
			if !d.boundaryOK(s, end) {
				continue
			}
			v := text[b:e]
			out = append(out, match{dim: DimURL, start: s, end: end, value: v,
				info: map[string]any{"value": v, "domain": urlDomain(v)}})
		}
	}
	return out
}

// trimURLEnd drops sentence punctuation a URL match swallowed at its end.
func trimURLEnd(text string, b, e int) int {
	for e > b && strings.ContainsRune(".,;:!?)'\"", rune(text[e-1])) {
		e--
	}
	return e
}

// urlDomain returns the lower-cased host of a matched URL.
func urlDomain(v string) string {
	if i := strings.Index(v, "://"); i >= 0 {
		v = v[i+3:]
	}
	if i := strings.IndexAny(v, ":/?#"); i >= 0 {
		v = v[:i]
	}
	return strings.ToLower(v)
}

// scanPhones finds phone numbers: 7 to 15 digits with separators, an
// optional "+<country>" prefix and an optional extension. The value is
// Duckling's: "(+1) 6507018887 ext 897".
func (d *doc) scanPhones(text string, ri runeIndex, p *contactPatterns) []match {
	var out []match
	for _, loc := range p.phone.FindAllStringSubmatchIndex(text, -1) {
		b, e := loc[0], loc[1]
		num := strings.TrimRight(text[loc[4]:loc[5]], " \t\n.-(")
		if loc[6] < 0 {
			e = loc[4] + len(num)
		}
		digits := onlyDigits(num)
		if len(digits) < 7 || len(digits) > 15 || len(num) > 20 || p.isoDate.MatchString(num) {
			continue
		}
		s, end := ri[b], ri[e]
		if !d.boundaryOK(s, end) {
			continue
		}
		v := phoneValue(text, loc, digits)
		out = append(out, match{dim: DimPhone, start: s, end: end, value: v,
			info: map[string]any{"value": v}})
	}
	return out
}

func phoneValue(text string, loc []int, digits string) string {
	v := digits
	if loc[2] >= 0 {
		v = "(+" + text[loc[2]:loc[3]] + ") " + v
	}
	if loc[6] >= 0 {
		ext, _ := strconv.Atoi(text[loc[6]:loc[7]])
		v += " ext " + strconv.Itoa(ext)
	}
	return v
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if isASCIIDigit(c) {
			b.WriteRune(c)
		}
	}
	return b.String()
}
