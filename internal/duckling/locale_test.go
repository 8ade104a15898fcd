package duckling

import (
	"encoding/json"
	"testing"
)

// TestLocaleNumbers checks that digits follow the locale: "2,5" is 2.5 in
// German and "1,000" a thousand in English.
func TestLocaleNumbers(t *testing.T) {
	tests := []struct {
		locale, text string
		want         []string // JSON values of the number entities
	}{
		{"en_US", "1,000", []string{"1000"}},
		{"en_US", "2,5", []string{"2", "5"}},
		{"en_US", "1,000,000.25", []string{"1000000.25"}},
		{"en_GB", "3.75", []string{"3.75"}},
		{"de_DE", "2,5", []string{"2.5"}},
		{"de_DE", "1.000", []string{"1000"}},
		{"de_DE", "1.234.567,89", []string{"1234567.89"}},
		{"fr_FR", "0,5", []string{"0.5"}},
		{"es_ES", "10.000", []string{"10000"}},
		{"de", "7", []string{"7"}},
	}
	for _, tt := range tests {
		ex := newTestExtractor(t, Config{Locale: tt.locale, Dimensions: []string{DimNumber}})
		var got []string
		for _, e := range ex.Builtin(tt.text, tableRef(), nil) {
			b, _ := json.Marshal(e.Value)
			got = append(got, string(b))
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s %q: got %v, want %v", tt.locale, tt.text, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s %q: got %v, want %v", tt.locale, tt.text, got, tt.want)
			}
		}
	}
}

// TestLocaleMoneyAndDates checks amounts and numeric dates in other
// locales.
func TestLocaleMoneyAndDates(t *testing.T) {
	tests := []struct {
		locale, text, dim, want string
	}{
		{"de_DE", "5,50 €", DimMoney, "5.5"},
		{"de_DE", "€1.200", DimMoney, "1200"},
		{"en_GB", "3/4/2015", DimTime, `"2015-04-03T00:00:00.000-02:00"`},
		{"en_US", "3/4/2015", DimTime, `"2015-03-04T00:00:00.000-02:00"`},
		{"de_DE", "3.4.2015", DimTime, `"2015-04-03T00:00:00.000-02:00"`},
		{"de_DE", "anna@beispiel.de", DimEmail, `"anna@beispiel.de"`},
	}
	for _, tt := range tests {
		ex := newTestExtractor(t, Config{Locale: tt.locale, Dimensions: []string{tt.dim}})
		ents := ex.Builtin(tt.text, tableRef(), tableRef().Location())
		if len(ents) != 1 {
			t.Errorf("%s %q: got %v", tt.locale, tt.text, describeAll(ents))
			continue
		}
		if b, _ := json.Marshal(ents[0].Value); string(b) != tt.want {
			t.Errorf("%s %q: got %s, want %s", tt.locale, tt.text, b, tt.want)
		}
	}
}
