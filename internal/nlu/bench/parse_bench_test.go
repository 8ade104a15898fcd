package bench

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/testenv"
)

// BenchmarkParseHWU64 parses HWU64 fold-1 test messages in turn with a
// model trained on the fold (trained once per run; set
// PARLEY_NLU_BENCH_MODEL to a file to keep the model between runs).
func BenchmarkParseHWU64(b *testing.B) {
	dir := testenv.Shared(b, "data/nlu/hwu64/fold-1")
	test, err := ReadRasaJSON(filepath.Join(dir, "test.json"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	m := hwu64Model(b, dir)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Parse(test.Examples[i%len(test.Examples)].Text)
		i++
	}
}

// hwu64Model trains on the fold's train.json, or reads the model kept in
// PARLEY_NLU_BENCH_MODEL.
func hwu64Model(b *testing.B, dir string) *pipeline.Model {
	b.Helper()
	keep := os.Getenv("PARLEY_NLU_BENCH_MODEL")
	if f, err := os.Open(keep); err == nil {
		defer f.Close()
		m, err := pipeline.Read(f)
		if err == nil {
			return m
		}
		b.Logf("retraining: %v", err)
	}
	train, err := ReadRasaJSON(filepath.Join(dir, "train.json"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	m, err := pipeline.Train(context.Background(), train, BenchmarkPipeline(),
		pipeline.TrainOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	if keep != "" {
		f, err := os.Create(keep)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if _, err := m.WriteTo(f); err != nil {
			b.Fatal(err)
		}
	}
	return m
}
