package bench

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"time"

	"github.com/parley-chat/parley/internal/nlu/evaluate"
	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/project"
)

// Result is the outcome of one train/test run.
type Result struct {
	Name string
	// TrainSeconds is wall time; TrainCPUSeconds the process's user and
	// system CPU time over the same span (0 where it cannot be read).
	TrainSeconds    float64
	TrainCPUSeconds float64
	IntentAccuracy  float64
	IntentMacroF1   float64
	// EntityF1 is Rasa's token-level micro F1; SpanF1 the exact-span one.
	EntityF1 float64
	SpanF1   float64
	// ECE is the expected calibration error of the intent confidences.
	ECE float64
	// ParseP50 and ParseP99 are per-message parse times.
	ParseP50, ParseP99 time.Duration
	ModelBytes         int
	// HeapBytes is how much the Go heap in use grew with the trained model
	// (after garbage collections before and after training).
	HeapBytes    uint64
	TestExamples int
	Warnings     int
	// Confidences and Correct are the intent predictions, for pooled
	// calibration figures.
	Confidences []float64
	Correct     []bool
}

func (r Result) String() string {
	return fmt.Sprintf("%s: intent acc %.4f macro-F1 %.4f | entity F1 token %.4f span %.4f | "+
		"ECE %.3f | train %.2fs (CPU %.2fs) | parse p50 %s p99 %s | model %.1f MB | "+
		"%d test examples | %d warnings", r.Name, r.IntentAccuracy, r.IntentMacroF1,
		r.EntityF1, r.SpanF1, r.ECE, r.TrainSeconds, r.TrainCPUSeconds, r.ParseP50,
		r.ParseP99, float64(r.ModelBytes)/1e6, r.TestExamples, r.Warnings)
}

// BenchmarkPipeline is the pipeline benchmarks use: Rasa's default pipeline
// without FallbackClassifier and ResponseSelector, so that the classifier
// itself is measured.
func BenchmarkPipeline() project.Config {
	c := func(name string, kv ...any) project.Component {
		opts := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			opts[kv[i].(string)] = kv[i+1]
		}
		return project.Component{Name: name, Options: opts}
	}
	return project.Config{Language: "en", Pipeline: []project.Component{
		c("WhitespaceTokenizer"), c("RegexFeaturizer"), c("LexicalSyntacticFeaturizer"),
		c("CountVectorsFeaturizer"),
		c("CountVectorsFeaturizer", "analyzer", "char_wb", "min_ngram", 1, "max_ngram", 4),
		c("DIETClassifier", "epochs", 100, "constrain_similarities", true),
		c("EntitySynonymMapper"),
	}}
}

// Run trains on train, evaluates on test and measures the model.
func Run(ctx context.Context, name string, train, test project.NLUData, cfg project.Config,
	log *slog.Logger) (Result, error) {
	res := Result{Name: name, TestExamples: len(test.Examples)}
	heap0 := heapInUse()
	cpu0, start := cpuSeconds(), time.Now()
	m, err := pipeline.Train(ctx, train, cfg, pipeline.TrainOptions{Logger: log,
		Warn: func(project.Diagnostic) { res.Warnings++ }})
	if err != nil {
		return res, err
	}
	res.TrainSeconds = time.Since(start).Seconds()
	if cpu1 := cpuSeconds(); cpu1 > 0 {
		res.TrainCPUSeconds = cpu1 - cpu0
	}
	var size countWriter
	if _, err := m.WriteTo(&size); err != nil {
		return res, err
	}
	res.ModelBytes = int(size)
	if heap1 := heapInUse(); heap1 > heap0 {
		res.HeapBytes = heap1 - heap0
	}
	rep, err := evaluate.Run(ctx, m, test.Examples)
	if err != nil {
		return res, err
	}
	res.IntentAccuracy = rep.IntentAccuracy
	res.IntentMacroF1 = rep.Intent.MacroAvg.F1
	res.EntityF1 = rep.EntityF1()
	if len(rep.Extractors) > 0 {
		res.SpanF1 = rep.SpanF1[rep.Extractors[0]]
	}
	res.ECE = rep.ECE
	res.Confidences, res.Correct = rep.IntentConfidences, rep.IntentCorrect
	res.ParseP50, res.ParseP99 = parseTimes(m, test.Examples)
	return res, nil
}

// parseTimes times one Parse of each test message, in a loop that does
// nothing else (as a server would), after a garbage collection, and returns
// the median and the 99th percentile.
func parseTimes(m *pipeline.Model, exs []project.Example) (time.Duration, time.Duration) {
	runtime.GC()
	ds := make([]time.Duration, len(exs))
	for i, ex := range exs {
		start := time.Now()
		m.Parse(ex.Text)
		ds[i] = time.Since(start)
	}
	return percentile(ds, 0.5), percentile(ds, 0.99)
}

// heapInUse collects garbage and returns the bytes of live heap objects.
func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// percentile returns the q-quantile of ds (nearest rank).
func percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}
