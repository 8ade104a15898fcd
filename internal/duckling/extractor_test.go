package duckling

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func newTestExtractor(t *testing.T, cfg Config) *Extractor {
	t.Helper()
	ex, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// TestRankAcrossDimensions checks Duckling's rule: a match inside a longer
// one is dropped, whatever its dimension; equal spans of different
// dimensions are both kept.
func TestRankAcrossDimensions(t *testing.T) {
	ex := newTestExtractor(t, Config{})
	tests := []struct {
		text string
		want []string // "dim text"
	}{
		{"$20", []string{"amount-of-money $20"}},
		{"tomorrow at 9", []string{"time tomorrow at 9"}},
		{"twenty one", []string{"number twenty one"}},
		{"write to a@b.io", []string{"email a@b.io"}},
		{"5 km", []string{"distance 5 km"}},
		{"wait 3 mins", []string{"duration 3 mins"}},
		{"in 1954", []string{"time in 1954"}},
		{"1954", []string{"number 1954", "time 1954"}},
		{"I have 3 kids and 2 dogs", []string{"number 3", "number 2"}},
		// A written address is not also read as a spoken one ("me at
		// john.doe") where the two overlap.
		{"contact me at john.doe+tag@gmail.com",
			[]string{"email john.doe+tag@gmail.com"}},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range ex.Builtin(tt.text, tableRef(), nil) {
			got = append(got, e.Entity+" "+e.Text)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q: got %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestEntityShape checks the JSON Rasa's DucklingEntityExtractor writes.
func TestEntityShape(t *testing.T) {
	ex := newTestExtractor(t, Config{Timezone: "America/Los_Angeles"})
	ents := ex.Builtin("tomorrow at 9", tableRef(), nil)
	if len(ents) != 1 {
		t.Fatalf("got %d entities", len(ents))
	}
	b, err := json.Marshal(ents[0])
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"entity": "time", "start": 0.0, "end": 13.0, "confidence": 1.0,
		"text": "tomorrow at 9", "extractor": "DucklingEntityExtractor",
		// the reference is 2013-02-11 22:30 in Los Angeles
		"value": "2013-02-12T09:00:00.000-08:00",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %v, want %v", k, got[k], v)
		}
	}
	if _, ok := got["confidence_entity"]; ok {
		t.Error("confidence_entity is DIET's key; Duckling entities carry confidence")
	}
	info := got["additional_info"].(map[string]any)
	if info["grain"] != "hour" || info["type"] != "value" || info["value"] != want["value"] {
		t.Errorf("additional_info: %v", info)
	}
	values := info["values"].([]any)
	if len(values) != 2 || values[1].(map[string]any)["value"] != "2013-02-12T21:00:00.000-08:00" {
		t.Errorf("values: %v", values)
	}
}

// TestDurationAndMoneyInfo checks the value objects of other dimensions.
func TestDurationAndMoneyInfo(t *testing.T) {
	ex := newTestExtractor(t, Config{})
	tests := map[string]string{
		"3 mins": `{"minute":3,"normalized":{"unit":"second","value":180},"type":"value",` +
			`"unit":"minute","value":3}`,
		"€5.50": `{"type":"value","unit":"EUR","value":5.5}`,
		"10-20 dollars": `{"from":{"unit":"$","value":10},"to":{"unit":"$","value":20},` +
			`"type":"interval"}`,
		"over 5 km": `{"from":{"type":"value","unit":"kilometre","value":5},` +
			`"type":"interval"}`,
		"alice@x.io":     `{"value":"alice@x.io"}`,
		"http://x.io/a":  `{"domain":"x.io","value":"http://x.io/a"}`,
		"+1 6507018887":  `{"value":"(+1) 6507018887"}`,
		"third":          `{"type":"value","value":3}`,
		"minus 2.5":      `{"type":"value","value":-2.5}`,
		"twenty degrees": `{"type":"value","unit":"degree","value":20}`,
	}
	for text, want := range tests {
		ents := ex.Builtin(text, tableRef(), nil)
		if len(ents) == 0 {
			t.Errorf("%q: no entity", text)
			continue
		}
		b, _ := json.Marshal(ents[len(ents)-1].AdditionalInfo)
		if string(b) != want {
			t.Errorf("%q: got %s, want %s", text, b, want)
		}
	}
}

// TestZoneChoice checks the timezone rule: the conversation's zone, else
// the configured one, else UTC.
func TestZoneChoice(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	ref := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		cfgZone string
		conv    *time.Location
		want    string
	}{
		{"", nil, "2026-12-04T09:00:00.000+00:00"},
		{"America/Los_Angeles", nil, "2026-12-04T09:00:00.000-08:00"},
		{"America/Los_Angeles", berlin, "2026-12-04T09:00:00.000+01:00"},
	}
	for _, tt := range tests {
		ex := newTestExtractor(t, Config{Timezone: tt.cfgZone, Dimensions: []string{DimTime}})
		ents := ex.Builtin("tomorrow at 9", ref, tt.conv)
		if len(ents) != 1 || ents[0].Value != tt.want {
			t.Errorf("config %q, conversation %v: got %v, want %s", tt.cfgZone, tt.conv,
				describeAll(ents), tt.want)
		}
	}
}

// TestFinancialDemoPhrases checks messages of the financial-demo and
// formbot bots that rely on Duckling. The test story of financial-demo
// was recorded with a Duckling server in US Pacific time.
func TestFinancialDemoPhrases(t *testing.T) {
	ex := newTestExtractor(t, Config{Timezone: "America/Los_Angeles",
		Dimensions: []string{DimMoney, DimTime, DimNumber}})
	ref := time.Date(2020, 6, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct{ text, dim, value string }{
		{"how much did I earn in January 2019", DimTime, `"2019-01-01T00:00:00.000-08:00"`},
		{"I want to pay $500 on my emblem credit card on Sunday", DimMoney, "500"},
		{"i would like to pay $1200 to my credit card", DimMoney, "1200"},
		{"I want to pay 100 dollars toward my card, tomorrow", DimMoney, "100"},
		{"what did i spend last month?", DimTime, `"2020-05-01T00:00:00.000-07:00"`},
		{"find me a table for 7 people", DimNumber, "7"},
		{"nine people", DimNumber, "9"},
		{"instead could it be for four people", DimNumber, "4"},
	}
	for _, tt := range tests {
		found := false
		for _, e := range ex.Builtin(tt.text, ref, nil) {
			b, _ := json.Marshal(e.Value)
			found = found || e.Entity == tt.dim && string(b) == tt.value
		}
		if !found {
			t.Errorf("%q: no %s %s in %v", tt.text, tt.dim, tt.value,
				describeAll(ex.Builtin(tt.text, ref, nil)))
		}
	}
}

// TestConcurrentUse runs one extractor from several goroutines (run with
// -race to check it shares no mutable state).
func TestConcurrentUse(t *testing.T) {
	ex := newTestExtractor(t, Config{})
	done := make(chan []string, 8)
	for range 8 {
		go func() {
			var got []string
			for _, c := range ownTable()[:60] {
				for _, e := range ex.Builtin(c.text, tableRef(), nil) {
					got = append(got, describe(e))
				}
			}
			done <- got
		}()
	}
	first := <-done
	for range 7 {
		if got := <-done; strings.Join(got, "\n") != strings.Join(first, "\n") {
			t.Fatal("concurrent calls disagree")
		}
	}
}
