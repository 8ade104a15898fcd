package duckling

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/nlu"
)

// tableCase is one row of an expression table: extracting only dim from
// text must give an entity over code points [start, end) whose value, as
// JSON, equals value. unit, when set, must equal the value object's
// "grain" (times; "from"'s grain for intervals) or "unit" (money,
// distance, temperature, duration). start -1 means no entity of dim may
// be found at all.
type tableCase struct {
	text       string
	dim        string
	start, end int
	value      string
	unit       string
}

// tableRef is the reference time of the tables: Tuesday 12 February 2013,
// 04:30 at UTC-2, the one Duckling's own corpus uses.
func tableRef() time.Time {
	return time.Date(2013, 2, 12, 4, 30, 0, 0, time.FixedZone("UTC-2", -2*3600))
}

// runTable checks every case with an extractor limited to its dimension.
func runTable(t *testing.T, cases []tableCase) {
	t.Helper()
	extractors := map[string]*Extractor{}
	pass := 0
	for _, c := range cases {
		ex := extractors[c.dim]
		if ex == nil {
			var err error
			ex, err = New(Config{Dimensions: []string{c.dim}}, nil)
			if err != nil {
				t.Fatalf("%q: %v", c.dim, err)
			}
			extractors[c.dim] = ex
		}
		ents := ex.Builtin(c.text, tableRef(), tableRef().Location())
		if msg := checkCase(c, ents); msg != "" {
			t.Errorf("%q (%s): %s", c.text, c.dim, msg)
			continue
		}
		pass++
	}
	t.Logf("%d of %d cases pass", pass, len(cases))
}

// checkCase returns "" when ents satisfy c, else what is wrong.
func checkCase(c tableCase, ents []nlu.Entity) string {
	if c.start < 0 {
		for _, e := range ents {
			if e.Entity == c.dim {
				return fmt.Sprintf("want no entity, got %s", describe(e))
			}
		}
		return ""
	}
	var want any
	if err := json.Unmarshal([]byte(c.value), &want); err != nil {
		return fmt.Sprintf("bad expected value %s: %v", c.value, err)
	}
	for _, e := range ents {
		if e.Entity != c.dim || e.Start != c.start || e.End != c.end {
			continue
		}
		if got := jsonValue(e.Value); !reflect.DeepEqual(got, want) {
			return fmt.Sprintf("value: want %s, got %s", c.value, describe(e))
		}
		if u := unitOf(e); c.unit != "" && u != c.unit {
			return fmt.Sprintf("grain/unit: want %s, got %s (%s)", c.unit, u, describe(e))
		}
		return ""
	}
	return fmt.Sprintf("want [%d,%d] %s, got %v", c.start, c.end, c.value, describeAll(ents))
}

// jsonValue round-trips v through JSON so numbers compare as float64.
func jsonValue(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func unitOf(e nlu.Entity) string {
	info, _ := jsonValue(e.AdditionalInfo).(map[string]any)
	if from, ok := info["from"].(map[string]any); ok && info["grain"] == nil {
		info = from
	} else if to, ok := info["to"].(map[string]any); ok && info["grain"] == nil {
		info = to
	}
	for _, k := range []string{"grain", "unit"} {
		if s, ok := info[k].(string); ok {
			return s
		}
	}
	return ""
}

func describe(e nlu.Entity) string {
	b, _ := json.Marshal(e.Value)
	return fmt.Sprintf("%s [%d,%d] %q %s %s", e.Entity, e.Start, e.End, e.Text, b, unitOf(e))
}

func describeAll(ents []nlu.Entity) []string {
	out := make([]string, len(ents))
	for i, e := range ents {
		out[i] = describe(e)
	}
	return out
}

func TestOwnTable(t *testing.T) {
	runTable(t, ownTable())
}

func TestBlindTable(t *testing.T) {
	cases := blindTable()
	if len(cases) == 0 {
		t.Skip("the blind table is not written yet")
	}
	runTable(t, cases)
}

// TestTablesCoverEveryDimension checks the tables' size: at least 200
// rows together and 10 per dimension.
func TestTablesCoverEveryDimension(t *testing.T) {
	all := append(ownTable(), blindTable()...)
	if len(all) < 200 {
		t.Errorf("the tables hold %d rows, want at least 200", len(all))
	}
	per := map[string]int{}
	for _, c := range all {
		per[c.dim]++
	}
	for _, dim := range AllDimensions() {
		if per[dim] < 10 {
			t.Errorf("dimension %s has %d rows, want at least 10", dim, per[dim])
		}
	}
}
