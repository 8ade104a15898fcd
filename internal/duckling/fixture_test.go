package duckling

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata files")

// timeRow is one single-value time row of the tables, written to
// testdata/time_rows.json for the date-library comparison in datelibs/.
type timeRow struct {
	Text  string `json:"text"`
	Start int    `json:"start"` // code points
	End   int    `json:"end"`
	Value string `json:"value"` // RFC 3339 instant
	Grain string `json:"grain"`
}

// instantRows returns the tables' time rows that hold one instant.
func instantRows() []timeRow {
	var rows []timeRow
	for _, c := range append(ownTable(), blindTable()...) {
		var v string
		if c.dim != DimTime || c.start < 0 || json.Unmarshal([]byte(c.value), &v) != nil {
			continue
		}
		rows = append(rows, timeRow{c.text, c.start, c.end, v, c.unit})
	}
	return rows
}

// TestTimeRowsFixture keeps testdata/time_rows.json equal to the tables;
// run with -update after changing them.
func TestTimeRowsFixture(t *testing.T) {
	want, err := json.MarshalIndent(instantRows(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "time_rows.json")
	if *update {
		if err := os.WriteFile(path, append(want, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestTimeRowsFixture -update)", err)
	}
	if !bytes.Equal(bytes.TrimSpace(got), want) {
		t.Errorf("%s is stale: run go test -run TestTimeRowsFixture -update", path)
	}
}

// BenchmarkTimeRows measures the time extractor on the single-value time
// rows; one op is one message.
func BenchmarkTimeRows(b *testing.B) {
	ex, err := New(Config{Dimensions: []string{DimTime}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	rows := instantRows()
	ref := tableRef()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ex.Builtin(rows[i%len(rows)].Text, ref, ref.Location())
	}
}

// BenchmarkAllDimensions measures a full extraction of a typical message.
func BenchmarkAllDimensions(b *testing.B) {
	ex, err := New(Config{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	const msg = "Please send $250 to anna@example.com by tomorrow at 9, or call +1 650-701-8887"
	ref := tableRef()
	for i := 0; i < b.N; i++ {
		ex.Builtin(msg, ref, time.UTC)
	}
}

// TestTimeRowsAccuracy reports how the time extractor does on the rows
// the date libraries are measured on (value, span and grain all right).
func TestTimeRowsAccuracy(t *testing.T) {
	ex, err := New(Config{Dimensions: []string{DimTime}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows, ok := instantRows(), 0
	for _, r := range rows {
		ents := ex.Builtin(r.Text, tableRef(), tableRef().Location())
		for _, e := range ents {
			if e.Start == r.Start && e.End == r.End && e.Value == r.Value && unitOf(e) == r.Grain {
				ok++
				break
			}
		}
	}
	t.Logf("built-in time extractor: %d of %d single-value time rows exact", ok, len(rows))
	if ok != len(rows) {
		t.Errorf("%d rows wrong", len(rows)-ok)
	}
}
