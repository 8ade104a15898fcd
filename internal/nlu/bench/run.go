package bench

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/parley-chat/parley/internal/nlu/evaluate"
	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/project"
)

// Result is the outcome of one train/test run.
type Result struct {
	Name           string
	TrainSeconds   float64
	IntentAccuracy float64
	IntentMacroF1  float64
	// EntityF1 is Rasa's token-level micro F1; SpanF1 the exact-span one.
	EntityF1     float64
	SpanF1       float64
	ModelBytes   int
	TestExamples int
	Warnings     int
}

func (r Result) String() string {
	return fmt.Sprintf("%s: intent acc %.4f macro-F1 %.4f | entity F1 token %.4f span %.4f | "+
		"train %.2fs | model %.1f MB | %d test examples | %d warnings", r.Name,
		r.IntentAccuracy, r.IntentMacroF1, r.EntityF1, r.SpanF1, r.TrainSeconds,
		float64(r.ModelBytes)/1e6, r.TestExamples, r.Warnings)
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
		c("DIETClassifier", "epochs", 100), c("EntitySynonymMapper"),
	}}
}

// Run trains on train, evaluates on test and measures the model.
func Run(ctx context.Context, name string, train, test project.NLUData, cfg project.Config,
	log *slog.Logger) (Result, error) {
	res := Result{Name: name, TestExamples: len(test.Examples)}
	start := time.Now()
	m, err := pipeline.Train(ctx, train, cfg, pipeline.TrainOptions{Logger: log,
		Warn: func(project.Diagnostic) { res.Warnings++ }})
	if err != nil {
		return res, err
	}
	res.TrainSeconds = time.Since(start).Seconds()
	var size countWriter
	if _, err := m.WriteTo(&size); err != nil {
		return res, err
	}
	res.ModelBytes = int(size)
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
	return res, nil
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}
