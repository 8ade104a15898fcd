package duckling

import (
	"encoding/json"
	"testing"
	"time"
)

// FuzzExtract feeds any text and reference time to every built-in
// extractor: it must not panic, and every entity must be a valid span of
// the text with a value that encodes to JSON.
func FuzzExtract(f *testing.F) {
	for _, c := range append(ownTable(), blindTable()...) {
		f.Add(c.text, int64(1360650600))
	}
	for _, s := range []string{"", "-", "$", "€-€", "1/0", "99999999999999999999999 km",
		"feb 29 2100", "friday the 13th", "the 31st of february", "5th monday of june",
		"from 3 to", "between and", "1,000,000,000,000,000,000,000", "٣ دقائق", "\xff\xfe",
		"in 999999999 years", "9:99", "24:00", "00:00:60", "@@@.com", "+(((1)))"} {
		f.Add(s, int64(0))
	}
	en := mustExtractor(f, Config{})
	de := mustExtractor(f, Config{Locale: "de_DE", Timezone: "Europe/Berlin"})
	f.Fuzz(func(t *testing.T, text string, unix int64) {
		unix %= 1 << 38 // about 8700 years either side of 1970
		ref := time.Unix(unix, 0)
		for _, ex := range []*Extractor{en, de} {
			checkEntities(t, text, ex, ref)
		}
	})
}

func mustExtractor(f *testing.F, cfg Config) *Extractor {
	ex, err := New(cfg, nil)
	if err != nil {
		f.Fatal(err)
	}
	return ex
}

func checkEntities(t *testing.T, text string, ex *Extractor, ref time.Time) {
	runes := []rune(text)
	for _, e := range ex.Builtin(text, ref, nil) {
		if e.Start < 0 || e.Start >= e.End || e.End > len(runes) {
			t.Fatalf("%q: bad span %d..%d", text, e.Start, e.End)
		}
		if e.Text != string(runes[e.Start:e.End]) {
			t.Fatalf("%q: text %q does not match span", text, e.Text)
		}
		if e.Value == nil {
			t.Fatalf("%q: nil value for %s", text, e.Entity)
		}
		if _, err := json.Marshal(e); err != nil {
			t.Fatalf("%q: %v", text, err)
		}
	}
}
