//go:build !race

package bench

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/testenv"
)

// TestSuiteShort runs the smoke form of the benchmark (parley bench nlu
// --short): small subsets of every data set. It checks that every protocol
// runs and prints its row with sane figures; the figures themselves are
// not comparable with the published ones. Like TestHWU64 it runs only
// when PARLEY_NLU_BENCH is set, and never under -race.
func TestSuiteShort(t *testing.T) {
	if os.Getenv("PARLEY_NLU_BENCH") == "" {
		t.Skip("set PARLEY_NLU_BENCH=1 to run the benchmark smoke test")
	}
	dir := testenv.Shared(t, "data/nlu")
	s, err := RunSuite(context.Background(), SuiteOptions{DataDir: dir, Short: true})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]Row{}
	for _, r := range s.Rows {
		names[r.Name] = r
	}
	for name, min := range map[string]float64{"HWU64 (1 folds)": 0.6, "SNIPS": 0.9,
		"Braun overall": 0.85} {
		if r, ok := names[name]; !ok || r.IntentAccuracy < min {
			t.Errorf("%s: intent accuracy %.3f, want at least %.2f", name, r.IntentAccuracy, min)
		}
	}
	if r := names["Snips 2017 @70 (slot F1)"]; r.SpanF1 < 0.5 {
		t.Errorf("Snips 2017 span F1 %.3f", r.SpanF1)
	}
	var b bytes.Buffer
	if err := s.WriteTable(&b, Machine{Cores: 2}, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "| HWU64 (1 folds) |") || strings.Count(b.String(), "\n|") < 7 {
		t.Errorf("table:\n%s", b.String())
	}
}
