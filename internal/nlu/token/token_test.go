package token

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

func texts(toks []Token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}

func TestSplit(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"hello there", []string{"hello", "there"}},
		{"क्या आपके पास दूध है", []string{"क्या", "आपके", "पास", "दूध", "है"}},
		{"我想喝咖啡", []string{"我", "想", "喝", "咖", "啡"}},
		{"👍", []string{"👍"}},
		{"great👍👍", []string{"great", "👍", "👍"}},
		{"thumbs 👍🏽 up", []string{"thumbs", "👍🏽", "up"}},
		{"I don't know.", []string{"I", "don't", "know", "."}},
		{"today's weather, it’s Tom's", []string{"today", "'s", "weather", ",", "it", "’s", "Tom", "'s"}},
		{"the boss's' 's x'sy", []string{"the", "boss", "'s", "'", "'", "s", "x'sy"}},
		{"it costs 3.50, ok?", []string{"it", "costs", "3.50", ",", "ok", "?"}},
		{"c++ and c# and .net", []string{"c", "+", "+", "and", "c", "#", "and", ".", "net"}},
		{"café naïve", []string{"café", "naïve"}},
		{"  ", []string{}},
		{"", []string{}},
	}
	for _, c := range cases {
		if got := texts(Split(c.in)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Split(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPattern(t *testing.T) {
	cases := []struct {
		pattern, in string
		want        []string
	}{
		{`(?u)\b\w+\b`, "I'd like 2 crêpes, please", []string{"I", "d", "like", "2", "crêpes", "please"}},
		{`(?u)\b\w\w+\b`, "a bc dé", []string{"bc", "dé"}},
		{`\d+`, "call ٣٤ or 56", []string{"٣٤", "56"}},
		{`[\w']+`, "don't stop", []string{"don't", "stop"}},
	}
	for _, c := range cases {
		tok, err := New(Options{TokenPattern: c.pattern})
		if err != nil {
			t.Fatalf("New(%q): %v", c.pattern, err)
		}
		if got := texts(tok.Tokenize(c.in)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("pattern %q on %q = %q, want %q", c.pattern, c.in, got, c.want)
		}
	}
	for _, bad := range []string{`(?<=a)b`, `(a)\1`, `[`} {
		if _, err := New(Options{TokenPattern: bad}); err == nil {
			t.Errorf("New(%q) accepted a pattern Go cannot run", bad)
		}
	}
}

func TestIntentTokens(t *testing.T) {
	tok, _ := New(Options{IntentTokenization: true, IntentSplitSymbol: "+"})
	if got := tok.IntentTokens("greet+ask"); !reflect.DeepEqual(got, []string{"greet", "ask"}) {
		t.Errorf("IntentTokens = %q", got)
	}
}

// checkSpans asserts that every token slices the text and tokens are
// ordered and disjoint.
func checkSpans(t *testing.T, text string, toks []Token) {
	t.Helper()
	end := 0
	for _, tk := range toks {
		if tk.Start < end || tk.End <= tk.Start || tk.End > len(text) ||
			text[tk.Start:tk.End] != tk.Text || !utf8.ValidString(tk.Text) && utf8.ValidString(text) {
			t.Fatalf("bad token %+v in %q", tk, text)
		}
		end = tk.End
	}
}

func TestSpansSliceText(t *testing.T) {
	for _, s := range []string{"hello, world!", "क्या आपके पास दूध है?", "東京へ行く👍🏽 ok",
		"\xff\xfe bad utf8", "a\u200db", "👨‍👩‍👧 family", "x'y 1,2 a.b"} {
		checkSpans(t, s, Split(s))
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"hello there", "क्या आपके", "我想喝", "👍🏽", "3.5", "c++", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkSpans(t, s, Split(s))
		p, err := CompilePattern(`(?u)\b\w+\b`)
		if err != nil {
			t.Fatal(err)
		}
		checkSpans(t, s, p.Tokens(s))
	})
}
