package feature

import "strings"

// stemSeed separates the hashes of word stems from those of the words.
const stemSeed = 0x5bd1e9955bd1e995

// stemEnglish strips the commonest English inflections from a lowercased
// word, so that "earnings", "earned" and "earn" share the stem "earn":
// plural and third-person -s, -ing and -ed, a doubled final consonant, and
// a final e ("making" and "make" both give "mak"). The result is a feature
// key, not a dictionary word. Words of other scripts, with digits, or
// shorter than four letters are returned unchanged.
func stemEnglish(w string) string {
	if len(w) < 4 || !asciiLetters(w) {
		return w
	}
	switch {
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	for _, suffix := range []string{"ing", "ed"} {
		if s, ok := strings.CutSuffix(w, suffix); ok && len(s) >= 3 && hasVowel(s) {
			w = undouble(s)
			break
		}
	}
	if len(w) > 3 && w[len(w)-1] == 'e' {
		w = w[:len(w)-1]
	}
	return w
}

// undouble drops the second of two equal final consonants ("stopp" →
// "stop"), except l, s and z, which English doubles in the stem too.
func undouble(s string) string {
	n := len(s)
	if n >= 2 && s[n-1] == s[n-2] && !strings.ContainsRune("aeioulsz", rune(s[n-1])) {
		return s[:n-1]
	}
	return s
}

func asciiLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

func hasVowel(s string) bool { return strings.ContainsAny(s, "aeiouy") }
