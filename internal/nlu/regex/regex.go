package regex

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/parley-chat/parley/internal/nlu/token"
	"github.com/parley-chat/parley/internal/project"
)

// Options mirrors RegexEntityExtractor's and RegexFeaturizer's settings.
type Options struct {
	CaseSensitive     bool
	UseWordBoundaries bool
}

// Match is one match of a named pattern; Start and End are byte offsets.
type Match struct {
	Name       string
	Start, End int
	// Pattern is the index of the matcher in its Set.
	Pattern int
}

// Matcher finds one regex or lookup table in text.
type Matcher struct {
	Name   string
	Lookup bool
	re     *regexp.Regexp
	opts   Options
}

// Set is the matchers of a project, in training-data order.
type Set struct {
	Matchers []*Matcher
}

// Compile builds the matchers for the project's regexes and lookup tables.
// A regex Go cannot run is reported through warn and left out.
func Compile(regexes, lookups []project.Pattern, opts Options,
	warn func(project.Pos, string)) *Set {
	s := &Set{}
	for _, p := range regexes {
		m, err := compileRegex(p, opts)
		if err != nil {
			warn(p.Pos, err.Error())
			continue
		}
		s.Matchers = append(s.Matchers, m)
	}
	for _, p := range lookups {
		if m := compileLookup(p, opts); m != nil {
			s.Matchers = append(s.Matchers, m)
		}
	}
	return s
}

func compileRegex(p project.Pattern, opts Options) (*Matcher, error) {
	var parts []string
	for _, el := range p.Elements {
		src, err := token.Translate(el)
		if err != nil {
			return nil, fmt.Errorf("regex %q: %w", p.Name, err)
		}
		parts = append(parts, "(?:"+src+")")
	}
	return build(p.Name, false, parts, opts)
}

func compileLookup(p project.Pattern, opts Options) *Matcher {
	els := slices.Clone(p.Elements)
	// Longer entries first, so the longest phrase wins at a position.
	slices.SortStableFunc(els, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	var parts []string
	for _, el := range els {
		if el = strings.TrimSpace(el); el != "" {
			parts = append(parts, regexp.QuoteMeta(el))
		}
	}
	if len(parts) == 0 {
		return nil
	}
	m, err := build(p.Name, true, parts, opts)
	if err != nil {
		return nil // quoted literals always compile
	}
	return m
}

func build(name string, lookup bool, parts []string, opts Options) (*Matcher, error) {
	src := strings.Join(parts, "|")
	if !opts.CaseSensitive {
		src = "(?i)" + src
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrPattern, name, err)
	}
	return &Matcher{Name: name, Lookup: lookup, re: re, opts: opts}, nil
}

// Find returns the byte spans where m matches text.
func (m *Matcher) Find(text string) [][2]int {
	var out [][2]int
	for pos := 0; pos < len(text); {
		loc := m.re.FindStringIndex(text[pos:])
		if loc == nil {
			break
		}
		start, end := pos+loc[0], pos+loc[1]
		if end > start && (!m.opts.UseWordBoundaries || bounded(text, start, end)) {
			out = append(out, [2]int{start, end})
			pos = end
			continue
		}
		_, size := utf8.DecodeRuneInString(text[start:])
		pos = start + max(size, 1)
	}
	return out
}

// bounded reports whether text[start:end] touches no word character outside.
func bounded(text string, start, end int) bool {
	if start > 0 {
		if r, _ := utf8.DecodeLastRuneInString(text[:start]); token.IsWordRune(r) {
			return false
		}
	}
	if end < len(text) {
		if r, _ := utf8.DecodeRuneInString(text[end:]); token.IsWordRune(r) {
			return false
		}
	}
	return true
}

// FindAll returns the matches of every matcher, ordered by start, then by
// matcher order.
func (s *Set) FindAll(text string) []Match {
	if s == nil {
		return nil
	}
	var out []Match
	for k, m := range s.Matchers {
		for _, sp := range m.Find(text) {
			out = append(out, Match{Name: m.Name, Start: sp[0], End: sp[1], Pattern: k})
		}
	}
	slices.SortStableFunc(out, func(a, b Match) int { return cmp.Compare(a.Start, b.Start) })
	return out
}
