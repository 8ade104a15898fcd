package policy

import (
	"bytes"
	"compress/gzip"
	"context"
	"testing"

	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/testenv"
)

// BenchmarkTrainBots trains each shared bot's policies as its config.yml
// names them (Parley's defaults when it names none) and reports the
// saved ensemble's size as JSON and gzipped, as it is in a model archive,
// and what the learned policy trained on.
//
//	go test ./internal/policy -run '^$' -bench TrainBots -benchtime 3x
func BenchmarkTrainBots(b *testing.B) {
	for _, name := range []string{"moodbot", "formbot", "financial-demo", "concertbot",
		"e2ebot", "knowledgebasebot", "reminderbot", "responseselectorbot", "rules"} {
		b.Run(name, func(b *testing.B) {
			p, _ := project.Load(testenv.Shared(b, "data/bots/"+name), project.Options{})
			if p == nil || p.Domain == nil {
				b.Skipf("%s does not load", name)
			}
			var e *Ensemble
			for b.Loop() {
				var err error
				if e, err = Train(context.Background(), p, TrainOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			reportModel(b, e)
		})
	}
}

// reportModel reports the size of the saved ensemble and the learned
// policy's example, feature and pass counts.
func reportModel(b *testing.B, e *Ensemble) {
	var buf bytes.Buffer
	if _, err := e.WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(buf.Bytes()); err != nil {
		b.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(buf.Len())/1024, "json-KB")
	b.ReportMetric(float64(gz.Len())/1024, "gzip-KB")
	if l := e.learned; l != nil {
		b.ReportMetric(float64(l.Examples), "examples")
		b.ReportMetric(float64(len(l.Features)), "features")
		b.ReportMetric(float64(l.TrainedEpochs), "epochs")
	}
}
