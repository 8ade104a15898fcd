package bench

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/testenv"
)

// TestValidation measures the pipeline on validation splits of the
// training data only, which is how Parley's settings are chosen: HWU64
// fold-1 train.json split 80/20 (every fifth example held out) and SNIPS
// train tested on its dev set. It runs only when PARLEY_NLU_VALIDATE is set
// (to a comma-separated list of "hwu64", "snips").
func TestValidation(t *testing.T) {
	sets := os.Getenv("PARLEY_NLU_VALIDATE")
	if sets == "" {
		t.Skip("set PARLEY_NLU_VALIDATE=hwu64,snips to measure on the validation splits")
	}
	dir := testenv.Shared(t, "data/nlu")
	log := slog.New(slog.DiscardHandler)
	for _, set := range strings.Split(sets, ",") {
		var train, dev project.NLUData
		var err error
		switch set {
		case "hwu64":
			var all project.NLUData
			all, err = ReadRasaJSON(filepath.Join(dir, "hwu64", "fold-1", "train.json"), Options{})
			train, dev = splitEvery(all, 5)
		case "snips":
			train, err = ReadSNIPS(filepath.Join(dir, "snips", "train"))
			if err == nil {
				dev, err = ReadSNIPS(filepath.Join(dir, "snips", "dev"))
			}
		default:
			t.Fatalf("unknown validation set %q", set)
		}
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(context.Background(), set+" validation", train, dev,
			BenchmarkPipeline(), log)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(res)
	}
}

// splitEvery holds out every k-th example of d.
func splitEvery(d project.NLUData, k int) (train, held project.NLUData) {
	train, held = d, d
	train.Examples, held.Examples = nil, nil
	for i, ex := range d.Examples {
		if i%k == k-1 {
			held.Examples = append(held.Examples, ex)
		} else {
			train.Examples = append(train.Examples, ex)
		}
	}
	return train, held
}
