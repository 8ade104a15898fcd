package duckling

import "strings"

// Language is the rule table of one language: the words and phrases the
// extractors look for. The grammar that combines them (a number then a
// unit, a date then a time of day, "from X to Y") is shared; adding a
// language means writing its table in a lang_<code>.go file and listing
// it in languageFor.
type Language struct {
	// Code is the ISO 639-1 code ("en").
	Code string
	// DecimalComma is true where "2,5" is two and a half and "1.000" is a
	// thousand (de, fr, es, ...); false where "1,000" is a thousand (en).
	DecimalComma bool

	numbers  phraseTable[numWord]
	ordinals phraseTable[int]
	months   phraseTable[int]
	weekdays phraseTable[int]
	grains   phraseTable[grain]
	money    phraseTable[string]
	distance phraseTable[string]
	temp     phraseTable[string]
	days     phraseTable[int]
	mods     phraseTable[modifier]
	pods     phraseTable[partOfDay]
	holidays phraseTable[monthDay]
	ampm     phraseTable[int]
	bounds   phraseTable[int] // +1: "more than" (from), -1: "less than" (to)
	// monthParts are the thirds of a month: 0 "early", 1 "mid", 2 "end of".
	monthParts phraseTable[int]
	// rests are "the rest of the <grain>" phrases: today to the period's end.
	rests phraseTable[grain]
	// spokenAt and spokenDot stand for "@" and "." in spoken addresses.
	spokenAt, spokenDot string
	words               map[role][]string // grammar words by role
	roleMask            map[string]uint64 // word to the roles it plays, from words
	ordSuffix           map[string]bool
}

// numWord is the meaning of one number word.
type numWord struct {
	kind  numKind
	value float64
}

type numKind uint8

const (
	numUnit    numKind = iota + 1 // one..nine
	numTeen                       // ten..nineteen
	numTens                       // twenty..ninety
	numHundred                    // hundred
	numScale                      // thousand, million, ...
	numZero                       // zero, nought
	numWhole                      // a complete number on its own: "a dozen"
	numDozen                      // dozen after a number: "two dozen"
)

// modifier is the meaning of "this", "next", "last".
type modifier int

const (
	modThis modifier = iota
	modNext
	modLast
)

// partOfDay is an hour range [from, to) of a day; to may be 24.
type partOfDay struct {
	from, to int
	tonight  bool // also means "today"
	night    bool // after "last", the night of yesterday ("last night")
}

// monthDay is a fixed yearly date such as Christmas.
type monthDay struct{ month, day int }

// role is the part a grammar word plays; Language.words lists the words
// of each role. Token roles are kept as a uint64 mask: at most 64 roles.
type role uint8

// Roles of grammar words.
const (
	roleAnd      role = iota // joins number words
	rolePoint                // decimal point word
	roleMinus                // negative sign word
	roleAt                   // before a clock time
	roleOn                   // before a date
	roleIn                   // "in 2 hours", "in March"
	roleOf                   // "the 5th of March"
	roleThe                  // article before a day of month
	roleAgo                  // "3 days ago"
	roleHence                // "3 days hence", "3 days from now"
	roleFrom                 // interval start
	roleTo                   // interval end
	roleBetween              // "between X and Y"
	roleAfter                // open interval from X
	roleBefore               // open interval to X
	roleBy                   // from now until X
	roleAbout                // "around 3pm": ignored
	rolePast                 // "half past 3"
	roleTill                 // "quarter to 5"
	roleHalf                 // "half past", "half an hour"
	roleQuarter              // "quarter past"
	roleNoon                 // 12:00
	roleMidnight             // 00:00 of the next day
	roleOClock               // "3 o'clock"
	roleNow                  // the reference time
	roleWeek                 // "<weekday> of next week"
	roleWeekend              // Friday 18:00 to Monday 00:00
	roleDegree               // "degrees" before a temperature scale
	roleCents                // "and 43 cents"
	roleAfterNxt             // "friday after next"
	roleLastOf               // "last monday of March"
	roleA                    // the article meaning one
	roleWithin               // "within 2 weeks": from now on
)

// languageFor returns the rule table for a locale such as "en_US", or a
// digits-only table with the language's number conventions when no word
// table exists for it yet.
func languageFor(locale string) *Language {
	code := strings.ToLower(locale)
	if i := strings.IndexAny(code, "_-"); i >= 0 {
		code = code[:i]
	}
	switch code {
	case "en", "":
		return newEnglish()
	}
	return neutralLanguage(code)
}

// neutralLanguage is the table of a language without words written yet:
// currency symbols and codes, metric units and the degree sign, which read
// the same in every language.
func neutralLanguage(code string) *Language {
	l := &Language{Code: code, DecimalComma: decimalComma(code)}
	l.money = newPhrases(symbolMoney())
	l.distance = newPhrases(symbolDistance())
	l.temp = newPhrases(map[string]string{"c": "celsius", "f": "fahrenheit"})
	l.words = map[role][]string{roleTo: {"-", "–"}, roleDegree: {"°"}}
	l.index()
	return l
}

// symbolMoney lists currency symbols and ISO codes.
func symbolMoney() map[string]string {
	m := map[string]string{"$": "$", "€": "EUR", "£": "£", "¢": "cent", "¥": "JPY",
		"₹": "INR", "₩": "KRW", "₽": "RUB", "₪": "ILS", "us $": "USD", "us$": "USD"}
	for _, code := range []string{"usd", "eur", "gbp", "jpy", "inr", "cad", "aud",
		"nzd", "sgd", "cny", "krw", "rub", "sek", "nok", "brl", "aed", "ils", "myr",
		"idr", "vnd", "egp", "kwd", "qar", "sar", "bgn", "hrk", "ron", "mad", "jod",
		"iqd", "lbp", "gel", "jmd", "ttd", "byn"} {
		m[code] = strings.ToUpper(code)
	}
	return m
}

// symbolDistance lists metric unit symbols.
func symbolDistance() map[string]string {
	return map[string]string{"km": "kilometre", "m": "m", "cm": "centimetre",
		"mm": "millimetre"}
}

// index builds roleMask from words; every table constructor calls it.
func (l *Language) index() {
	l.roleMask = map[string]uint64{}
	for r, ws := range l.words {
		for _, w := range ws {
			l.roleMask[w] |= 1 << r
		}
	}
}

// rolesOf returns the role mask of each token.
func (l *Language) rolesOf(toks []token) []uint64 {
	masks := make([]uint64, len(toks))
	for i, t := range toks {
		masks[i] = l.roleMask[t.text]
	}
	return masks
}

// decimalComma reports whether a language writes "2,5" for two and a half.
func decimalComma(code string) bool {
	switch code {
	case "de", "fr", "es", "it", "pt", "nl", "ru", "pl", "tr", "sv", "da",
		"nb", "no", "fi", "cs", "sk", "ro", "hu", "bg", "hr", "uk", "el",
		"id", "ca":
		return true
	}
	return false
}

// has reports whether token i is a grammar word of the given role.
func (l *Language) has(d *doc, i int, r role) bool {
	return d.has(i) && d.roles[i]&(1<<r) != 0
}

// phraseTable finds the longest listed phrase starting at a token.
type phraseTable[T any] struct {
	byFirst map[string][]phrase[T]
}

type phrase[T any] struct {
	words []string
	value T
}

// newPhrases builds a table; a key is one or more tokens separated by
// spaces, written as the tokenizer splits them ("a . m ." for "a.m.").
func newPhrases[T any](m map[string]T) phraseTable[T] {
	t := phraseTable[T]{byFirst: map[string][]phrase[T]{}}
	for k, v := range m {
		ws := strings.Fields(k)
		t.byFirst[ws[0]] = append(t.byFirst[ws[0]], phrase[T]{ws, v})
	}
	return t
}

// match returns the value of the longest phrase at token i and the index
// after it. Tokens of a phrase after the first must follow with at most
// spaces between them; a "." or "'" must be glued to the token before.
func (t phraseTable[T]) match(d *doc, i int) (T, int, bool) {
	var best T
	bestEnd := -1
	if !d.has(i) {
		return best, -1, false
	}
	for _, p := range t.byFirst[d.toks[i].text] {
		if end, ok := matchWords(d, i, p.words); ok && end > bestEnd {
			best, bestEnd = p.value, end
		}
	}
	return best, bestEnd, bestEnd >= 0
}

func matchWords(d *doc, i int, words []string) (int, bool) {
	for k, w := range words {
		j := i + k
		if !d.is(j, w) {
			return 0, false
		}
		if k > 0 && (w == "." || w == "'") && !d.glued(j) {
			return 0, false
		}
	}
	return i + len(words), true
}
