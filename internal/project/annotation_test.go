package project

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestParseAnnotations(t *testing.T) {
	tests := []struct {
		in    string
		clean string
		ents  []EntityAnnotation
	}{
		{"no entities here", "no entities here", nil},
		{"my name is [Ann](name)", "my name is Ann",
			[]EntityAnnotation{{Start: 11, End: 14, Entity: "name", Value: "Ann"}}},
		{"in [my card](account:credit) please", "in my card please",
			[]EntityAnnotation{{Start: 3, End: 10, Entity: "account", Value: "credit"}}},
		{`fly from [Berlin]{"entity": "city", "role": "departure"} now`, "fly from Berlin now",
			[]EntityAnnotation{{Start: 9, End: 15, Entity: "city", Value: "Berlin", Role: "departure"}}},
		{`a [large]{"entity": "size", "group": 1, "value": "L"}`, "a large",
			[]EntityAnnotation{{Start: 2, End: 7, Entity: "size", Value: "L", Group: "1"}}},
		{`[SF][{"entity": "city"}, {"entity": "place", "role": "to"}]!`, "SF!",
			[]EntityAnnotation{{Start: 0, End: 2, Entity: "city", Value: "SF"},
				{Start: 0, End: 2, Entity: "place", Value: "SF", Role: "to"}}},
		// Byte offsets: "größe" is 7 bytes.
		{"die [größe](maß) ist [L](größe)", "die größe ist L",
			[]EntityAnnotation{{Start: 4, End: 11, Entity: "maß", Value: "größe"},
				{Start: 16, End: 17, Entity: "größe", Value: "L"}}},
		{"[not closed", "[not closed", nil},
		{"empty [] brackets", "empty [] brackets", nil},
		{"[sic] as plain text", "[sic] as plain text", nil},
	}
	for _, tt := range tests {
		clean, ents, problems := ParseAnnotations(tt.in)
		if len(problems) > 0 {
			t.Errorf("%q: unexpected problems %v", tt.in, problems)
		}
		if clean != tt.clean {
			t.Errorf("%q: clean text %q, want %q", tt.in, clean, tt.clean)
		}
		if diff := cmp.Diff(tt.ents, ents); diff != "" {
			t.Errorf("%q: entities (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseAnnotationsProblems(t *testing.T) {
	tests := []struct {
		in     string
		sev    Severity
		offset int
		msg    string
	}{
		{`hi [Ann]{"entity": "name") there`, Error, 3, "not valid JSON"},
		{`hi [Ann] (name) there`, Warning, 3, "space after ']'"},
		{`hi [Ann](name there`, Error, 3, "not closed"},
		{`hi [Ann]( ) there`, Error, 3, "names no entity"},
		{`hi [Ann]{"role": "x"} there`, Error, 3, `no "entity"`},
		{`hi [Ann][{"entity": 1}] there`, Error, 3, `no "entity"`},
	}
	for _, tt := range tests {
		clean, ents, problems := ParseAnnotations(tt.in)
		if len(problems) != 1 {
			t.Errorf("%q: want one problem, got %v", tt.in, problems)
			continue
		}
		p := problems[0]
		if p.Severity != tt.sev || p.Offset != tt.offset || !strings.Contains(p.Message, tt.msg) {
			t.Errorf("%q: got %v at %d %q, want %v at %d containing %q",
				tt.in, p.Severity, p.Offset, p.Message, tt.sev, tt.offset, tt.msg)
		}
		if len(ents) != 0 || clean != tt.in {
			t.Errorf("%q: a broken annotation must stay as text, got %q %v", tt.in, clean, ents)
		}
	}
}

// FuzzAnnotation checks that the annotation parser never panics and that
// every span slices the cleaned text.
func FuzzAnnotation(f *testing.F) {
	for _, seed := range []string{
		"my name is [Ann](name)", "[a](b:c)", `[x]{"entity":"e","role":"r"}`,
		`[x][{"entity":"e"},{"entity":"f","group":2}]`, `[Ann]{"entity": "name")`,
		"[Ann] (name)", "[[a](b)", "[größe](maß)", "[", "]", "[](x)", `[a]{"entity":"e"`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		clean, ents, problems := ParseAnnotations(in)
		if len(clean) > len(in) {
			t.Fatalf("clean text longer than input: %q -> %q", in, clean)
		}
		for _, e := range ents {
			if e.Start < 0 || e.Start > e.End || e.End > len(clean) {
				t.Fatalf("span %d:%d outside %q", e.Start, e.End, clean)
			}
			if utf8.ValidString(in) && !utf8.ValidString(clean[e.Start:e.End]) {
				t.Fatalf("span %d:%d cuts a character in %q", e.Start, e.End, clean)
			}
			if e.Entity == "" {
				t.Fatalf("entity without a name in %q", in)
			}
		}
		for _, p := range problems {
			if p.Offset < 0 || p.Offset > len(in) {
				t.Fatalf("problem offset %d outside input %q", p.Offset, in)
			}
		}
	})
}
