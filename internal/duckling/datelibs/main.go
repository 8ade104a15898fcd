// Command datelibs measures two Go date libraries, and Parley's own time
// extractor, on the single-value time rows of the duckling package's
// tables (../testdata/time_rows.json): whether each finds the same span
// and the same instant, and how long a call takes. It lives in its own
// module so Parley does not depend on the libraries.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	dps "github.com/markusmobius/go-dateparser"
	"github.com/markusmobius/go-dateparser/date"
	"github.com/olebedev/when"
	"github.com/olebedev/when/rules/common"
	"github.com/olebedev/when/rules/en"

	"github.com/parley-chat/parley/internal/duckling"
)

type row struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Value string `json:"value"`
	Grain string `json:"grain"`
}

// found is what a library answered for one row.
type found struct {
	ok    bool
	text  string
	t     time.Time
	grain string
}

type library struct {
	name  string
	parse func(text string, ref time.Time) found
}

func main() {
	path := flag.String("rows", "../testdata/time_rows.json", "time rows")
	verbose := flag.Bool("v", false, "print every row")
	flag.Parse()
	b, err := os.ReadFile(*path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var rows []row
	if err := json.Unmarshal(b, &rows); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ref := time.Date(2013, 2, 12, 4, 30, 0, 0, time.FixedZone("UTC-2", -2*3600))
	for _, lib := range []library{parleyLibrary(), whenLibrary(), dateparserLibrary()} {
		measure(lib, rows, ref, *verbose)
	}
}

func measure(lib library, rows []row, ref time.Time, verbose bool) {
	var anyHit, span, instant, truncated, exact int
	for _, r := range rows {
		f := lib.parse(r.Text, ref)
		want, _ := time.Parse("2006-01-02T15:04:05.000-07:00", r.Value)
		wantText := string([]rune(r.Text)[r.Start:r.End])
		okSpan := f.ok && f.text == wantText
		okTime := f.ok && f.t.Equal(want)
		if f.ok && truncate(f.t.In(ref.Location()), r.Grain).Equal(want) {
			truncated++
		}
		if f.ok {
			anyHit++
		}
		if okSpan {
			span++
		}
		if okTime {
			instant++
		}
		if okSpan && okTime && f.grain == r.Grain {
			exact++
		}
		if verbose {
			fmt.Printf("%-12s %-40q span=%v time=%v got %q %s %s\n", lib.name, r.Text,
				okSpan, okTime, f.text, f.t.Format(time.RFC3339), f.grain)
		}
	}
	const rounds = 50
	start := time.Now()
	for range rounds {
		for _, r := range rows {
			lib.parse(r.Text, ref)
		}
	}
	per := time.Since(start) / time.Duration(rounds*len(rows))
	fmt.Printf("%s: %d rows, found something %d, same span %d, same instant %d, "+
		"same instant once cut to the expected grain %d, span+instant+grain %d, "+
		"%.1f µs per call\n", lib.name, len(rows), anyHit, span, instant, truncated, exact,
		float64(per.Nanoseconds())/1000)
}

// parleyLibrary is Parley's own time extractor, for the same loop.
func parleyLibrary() library {
	ex, err := duckling.New(duckling.Config{Dimensions: []string{duckling.DimTime}}, nil)
	if err != nil {
		panic(err)
	}
	return library{name: "parley", parse: func(text string, ref time.Time) found {
		ents := ex.Builtin(text, ref, ref.Location())
		if len(ents) == 0 {
			return found{}
		}
		t, _ := time.Parse("2006-01-02T15:04:05.000-07:00", fmt.Sprint(ents[0].Value))
		info, _ := ents[0].AdditionalInfo.(map[string]any)
		grain, _ := info["grain"].(string)
		return found{ok: true, text: ents[0].Text, t: t, grain: grain}
	}}
}

func whenLibrary() library {
	w := when.New(nil)
	w.Add(en.All...)
	w.Add(common.All...)
	return library{name: "olebedev/when", parse: func(text string, ref time.Time) found {
		r, err := w.Parse(text, ref)
		if err != nil || r == nil {
			return found{}
		}
		return found{ok: true, text: r.Text, t: r.Time}
	}}
}

func dateparserLibrary() library {
	return library{name: "go-dateparser", parse: func(text string, ref time.Time) found {
		cfg := &dps.Configuration{
			Languages: []string{"en"}, CurrentTime: ref, DefaultTimezone: ref.Location(),
			PreferredDateSource: dps.Future, ReturnTimeAsPeriod: true,
		}
		_, res, err := dps.Search(cfg, text)
		if err != nil || len(res) == 0 {
			return found{}
		}
		return found{ok: true, text: res[0].Text, t: res[0].Date.Time,
			grain: periodGrain(res[0].Date.Period)}
	}}
}

func periodGrain(p date.Period) string {
	switch p {
	case date.Second:
		return "second"
	case date.Minute:
		return "minute"
	case date.Hour:
		return "hour"
	case date.Day:
		return "day"
	case date.Month:
		return "month"
	case date.Year:
		return "year"
	}
	return ""
}

// truncate cuts t down to the start of its grain (weeks start on Monday).
func truncate(t time.Time, grain string) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	loc := t.Location()
	switch grain {
	case "second":
		return time.Date(y, m, d, h, mi, s, 0, loc)
	case "minute":
		return time.Date(y, m, d, h, mi, 0, 0, loc)
	case "hour":
		return time.Date(y, m, d, h, 0, 0, 0, loc)
	case "day":
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	case "week":
		return time.Date(y, m, d-(int(t.Weekday())+6)%7, 0, 0, 0, 0, loc)
	case "month":
		return time.Date(y, m, 1, 0, 0, 0, 0, loc)
	case "quarter":
		return time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, loc)
	}
	return time.Date(y, 1, 1, 0, 0, 0, 0, loc)
}
