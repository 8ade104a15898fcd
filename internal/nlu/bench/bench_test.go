package bench

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/parley-chat/parley/internal/testenv"
)

// TestHWU64 trains on HWU64 folds and prints the figures. It is a
// measurement, not a timed test: it runs only when PARLEY_NLU_BENCH is set
// (to "1" for fold 1, or to a number of folds).
func TestHWU64(t *testing.T) {
	folds := os.Getenv("PARLEY_NLU_BENCH")
	if folds == "" {
		t.Skip("set PARLEY_NLU_BENCH=1 (or the number of folds) to run the HWU64 benchmark")
	}
	n := 1
	fmt.Sscan(folds, &n)
	dir := testenv.Shared(t, "data/nlu/hwu64")
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if os.Getenv("PARLEY_NLU_BENCH_DEBUG") == "" {
		log = slog.New(slog.DiscardHandler)
	}
	for f := 1; f <= n; f++ {
		fold := filepath.Join(dir, fmt.Sprintf("fold-%d", f))
		train, err := ReadRasaJSON(filepath.Join(fold, "train.json"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		test, err := ReadRasaJSON(filepath.Join(fold, "test.json"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(context.Background(), fmt.Sprintf("hwu64 fold-%d", f), train, test,
			BenchmarkPipeline(), log)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(res)
	}
}
