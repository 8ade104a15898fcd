package token

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one token of a message. Start and End are byte offsets into the
// message, so Text == message[Start:End].
type Token struct {
	Text  string
	Start int
	End   int
}

// Lower returns the token text in lower case.
func (t Token) Lower() string { return strings.ToLower(t.Text) }

// Tokenizer splits text into tokens. The zero value uses the built-in rules;
// a Tokenizer made by New with a pattern takes each pattern match as a token.
type Tokenizer struct {
	pattern *Pattern
	// splitIntent and splitSymbol come from intent_tokenization_flag and
	// intent_split_symbol; they are used by IntentTokens.
	splitIntent bool
	splitSymbol string
}

// Options configures a Tokenizer, as WhitespaceTokenizer's options do.
type Options struct {
	// TokenPattern is a Python-style regular expression; empty means the
	// built-in rules.
	TokenPattern string
	// IntentTokenization splits intent names on IntentSplitSymbol.
	IntentTokenization bool
	IntentSplitSymbol  string
}

// New makes a Tokenizer, compiling the token pattern if one is given.
func New(opts Options) (*Tokenizer, error) {
	t := &Tokenizer{splitIntent: opts.IntentTokenization, splitSymbol: opts.IntentSplitSymbol}
	if t.splitSymbol == "" {
		t.splitSymbol = "_"
	}
	if opts.TokenPattern != "" {
		p, err := CompilePattern(opts.TokenPattern)
		if err != nil {
			return nil, err
		}
		t.pattern = p
	}
	return t, nil
}

// Tokenize splits text into tokens in text order.
func (t *Tokenizer) Tokenize(text string) []Token {
	if t != nil && t.pattern != nil {
		return t.pattern.Tokens(text)
	}
	return Split(text)
}

// IntentTokens splits an intent name into its parts when intent
// tokenization is on; otherwise it returns the name alone.
func (t *Tokenizer) IntentTokens(intent string) []string {
	if t == nil || !t.splitIntent {
		return []string{intent}
	}
	return strings.Split(intent, t.splitSymbol)
}

// Split tokenizes text with the built-in rules.
func Split(text string) []Token {
	var toks []Token
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r) || r == utf8.RuneError && size == 1 || unicode.IsControl(r):
			i += size
		case isIdeograph(r):
			toks = append(toks, Token{Text: text[i : i+size], Start: i, End: i + size})
			i += size
		case IsWordRune(r):
			end := wordEnd(text, i)
			toks = append(toks, Token{Text: text[i:end], Start: i, End: end})
			i = end
		case isClitic(text, i):
			toks = append(toks, Token{Text: text[i : i+size+1], Start: i, End: i + size + 1})
			i += size + 1
		default:
			end := symbolEnd(text, i, size)
			toks = append(toks, Token{Text: text[i:end], Start: i, End: end})
			i = end
		}
	}
	return toks
}

// IsWordRune reports whether r belongs inside a word: a letter, a combining
// mark, a digit or number, or the underscore.
func IsWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r) || r == '_'
}

// isIdeograph reports whether r is written without spaces between words
// (Han, Hiragana, Katakana), so each character is a token of its own.
func isIdeograph(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// wordEnd returns the end of the word starting at i.
func wordEnd(text string, i int) int {
	prev := rune(0)
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if IsWordRune(r) && !isIdeograph(r) {
			prev = r
			i += size
			continue
		}
		next, nsize := utf8.DecodeRuneInString(text[i+size:])
		if nsize == 0 || !joins(text, i, prev, r, next) {
			return i
		}
		prev = next
		i += size + nsize
	}
	return i
}

// joins reports whether the separator sep at text[i:] keeps the word going:
// an apostrophe between letters (don't) unless it starts the clitic 's
// (today's), a dot or comma between digits (3.5).
func joins(text string, i int, prev, sep, next rune) bool {
	switch sep {
	case '\'', '’':
		return unicode.IsLetter(prev) && unicode.IsLetter(next) && !isIdeograph(next) &&
			!isClitic(text, i)
	case '.', ',':
		return unicode.IsDigit(prev) && unicode.IsDigit(next)
	}
	return false
}

// symbolEnd returns the end of the symbol starting at i: one character plus
// any joiners, variation selectors, skin-tone modifiers and combining marks
// that belong to it, so an emoji sequence stays one token.
func symbolEnd(text string, i, size int) int {
	end := i + size
	for end < len(text) {
		r, n := utf8.DecodeRuneInString(text[end:])
		switch {
		case r == 0x200D: // zero width joiner: take the next character too
			_, m := utf8.DecodeRuneInString(text[end+n:])
			end += n + m
		case unicode.Is(unicode.Variation_Selector, r), unicode.IsMark(r),
			r >= 0x1F3FB && r <= 0x1F3FF, r >= 0xE0020 && r <= 0xE007F:
			end += n
		default:
			return end
		}
	}
	return end
}

// isClitic reports whether text[i:] starts with the clitic 's (an
// apostrophe, then s, then no more letters) after a letter: "today's" is
// "today" and "'s", so that an entity ending before the clitic lines up
// with tokens.
func isClitic(text string, i int) bool {
	r, size := utf8.DecodeRuneInString(text[i:])
	if r != '\'' && r != '’' || i == 0 || i+size >= len(text) {
		return false
	}
	if p, _ := utf8.DecodeLastRuneInString(text[:i]); !unicode.IsLetter(p) {
		return false
	}
	if c := text[i+size]; c != 's' && c != 'S' {
		return false
	}
	next, _ := utf8.DecodeRuneInString(text[i+size+1:])
	return i+size+1 == len(text) || !IsWordRune(next)
}
