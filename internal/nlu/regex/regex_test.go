package regex

import (
	"reflect"
	"testing"

	"github.com/parley-chat/parley/internal/project"
)

func find(t *testing.T, regexes, lookups []project.Pattern, opts Options, text string) []string {
	t.Helper()
	s := Compile(regexes, lookups, opts, func(p project.Pos, msg string) { t.Log(msg) })
	var out []string
	for _, m := range s.FindAll(text) {
		out = append(out, m.Name+"="+text[m.Start:m.End])
	}
	return out
}

func TestLookup(t *testing.T) {
	langs := []project.Pattern{{Name: "language", Elements: []string{"c++", "c#", ".net",
		"go", "New York", "objective c"}}}
	opts := Options{UseWordBoundaries: true}
	cases := map[string][]string{
		"I like c++ and C# a lot":    {"language=c++", "language=C#"},
		"we use .NET":                {"language=.NET"},
		"asp.net is not listed":      nil,
		"going to new york tomorrow": {"language=new york"},
		"objective c, go!":           {"language=objective c", "language=go"},
		"gopher":                     nil,
	}
	for text, want := range cases {
		if got := find(t, nil, langs, opts, text); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %q, want %q", text, got, want)
		}
	}
	if got := find(t, nil, langs, Options{CaseSensitive: true, UseWordBoundaries: true},
		"C++ or c++"); !reflect.DeepEqual(got, []string{"language=c++"}) {
		t.Errorf("case sensitive: %q", got)
	}
}

func TestRegex(t *testing.T) {
	re := []project.Pattern{{Name: "account", Elements: []string{`\d{10}`}},
		{Name: "zip", Elements: []string{`(?u)\b\d{5}\b`}}}
	opts := Options{UseWordBoundaries: true}
	cases := map[string][]string{
		"my number is 1234567890":  {"account=1234567890"},
		"not this one 12345678901": nil,
		"zip 12345 please":         {"zip=12345"},
		"x1234567890":              nil,
	}
	for text, want := range cases {
		if got := find(t, re, nil, opts, text); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %q, want %q", text, got, want)
		}
	}
	var warned []string
	Compile([]project.Pattern{{Name: "bad", Elements: []string{`(?<=x)y`}}}, nil, opts,
		func(_ project.Pos, m string) { warned = append(warned, m) })
	if len(warned) != 1 {
		t.Errorf("look-behind regex: warnings %q", warned)
	}
}
