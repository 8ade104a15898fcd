// Package evaluate measures an NLU model on labelled examples, as `rasa test
// nlu` does, and writes Rasa's report files.
//
// Entities are scored two ways. The extractor reports follow Rasa: each
// token gets the entity type of the annotation it overlaps (no_entity
// otherwise), and the micro average runs over entity types with no_entity
// left out. SpanF1 is stricter: a predicted entity counts only when its
// start, end and type all match an annotation. Roles and groups are not
// part of either label; they are compared by neither.
//
// WritePlots draws the intent confusion matrix and the confidence
// histogram as PNG images.
package evaluate

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/project"
)

// noEntity is the token label outside every entity.
const noEntity = "no_entity"

// Report is the outcome of an NLU evaluation.
type Report struct {
	IntentAccuracy float64
	// Intent is the intent classification report; IntentErrors the
	// misclassified examples.
	Intent       Classification
	IntentErrors []IntentError
	// Entities holds one token-level report per entity extractor, keyed by
	// its name; EntityErrors the examples each got wrong.
	Entities     map[string]Classification
	EntityErrors map[string][]EntityError
	// SpanF1 is the exact-span micro F1 per extractor.
	SpanF1 map[string]float64
	// Extractors lists the evaluated extractors in pipeline order.
	Extractors []string
	// IntentConfidences and IntentCorrect hold, per example with an
	// intent, the confidence of the predicted intent and whether it was
	// right; ECE is their expected calibration error (15 bins).
	IntentConfidences []float64
	IntentCorrect     []bool
	ECE               float64
	// ParseDurations holds how long each parse took.
	ParseDurations []time.Duration

	truth, pred []string
}

// IntentError is one line of intent_errors.json.
type IntentError struct {
	Text       string     `json:"text"`
	Intent     string     `json:"intent"`
	Prediction nlu.Intent `json:"intent_prediction"`
}

// EntityError is one line of <Extractor>_errors.json.
type EntityError struct {
	Text      string       `json:"text"`
	Entities  []nlu.Entity `json:"entities"`
	Predicted []nlu.Entity `json:"predicted_entities"`
}

// Run parses every example and compares with its labels.
func Run(ctx context.Context, m *pipeline.Model, examples []project.Example) (*Report, error) {
	c := newCollector(m.Extractors())
	if err := c.add(ctx, m, examples); err != nil {
		return nil, err
	}
	return c.finish(), nil
}

// collector gathers the predictions of one or more models (one per
// cross-validation fold) before the report is computed.
type collector struct {
	r           *Report
	truth, pred []string
	tok         map[string]*tokenTally
}

func newCollector(extractors []string) *collector {
	c := &collector{r: &Report{Entities: map[string]Classification{},
		EntityErrors: map[string][]EntityError{}, SpanF1: map[string]float64{},
		Extractors: extractors}, tok: map[string]*tokenTally{}}
	for _, x := range extractors {
		c.tok[x] = &tokenTally{}
	}
	return c
}

// add parses the examples with m and records the outcomes.
func (c *collector) add(ctx context.Context, m *pipeline.Model, examples []project.Example) error {
	r := c.r
	for i, ex := range examples {
		if i%256 == 0 && ctx.Err() != nil {
			return fmt.Errorf("evaluating NLU: %w", ctx.Err())
		}
		start := time.Now()
		p := m.Parse(ex.Text)
		r.ParseDurations = append(r.ParseDurations, time.Since(start))
		if ex.Intent != "" {
			c.addIntent(ex, p)
		}
		targets := targetEntities(ex)
		for _, x := range r.Extractors {
			got := byExtractor(p.Entities, x)
			if c.tok[x].add(p.TextTokens, targets, got) {
				r.EntityErrors[x] = append(r.EntityErrors[x],
					EntityError{Text: ex.Text, Entities: targets, Predicted: got})
			}
		}
	}
	return nil
}

func (c *collector) addIntent(ex project.Example, p nlu.Parse) {
	r := c.r
	want := baseIntent(ex.Intent)
	c.truth, c.pred = append(c.truth, want), append(c.pred, p.Intent.Name)
	r.IntentConfidences = append(r.IntentConfidences, p.Intent.Confidence)
	r.IntentCorrect = append(r.IntentCorrect, want == p.Intent.Name)
	if want != p.Intent.Name {
		r.IntentErrors = append(r.IntentErrors, IntentError{Text: ex.Text,
			Intent: want, Prediction: nlu.Intent{Name: p.Intent.Name,
				Confidence: p.Intent.Confidence}})
	}
}

// finish computes the reports.
func (c *collector) finish() *Report {
	r := c.r
	r.truth, r.pred = c.truth, c.pred
	r.ECE = ECE(r.IntentConfidences, r.IntentCorrect, CalibrationBins)
	r.Intent = classify(c.truth, c.pred, "")
	r.Intent.MicroAvg = nil
	if r.Intent.Accuracy != nil {
		r.IntentAccuracy = *r.Intent.Accuracy
	}
	for _, x := range r.Extractors {
		rep := classify(c.tok[x].truth, c.tok[x].pred, noEntity)
		rep.Accuracy = nil
		r.Entities[x] = rep
		r.SpanF1[x] = c.tok[x].spanF1()
	}
	return r
}

func baseIntent(name string) string {
	for i := 0; i < len(name); i++ {
		if name[i] == '/' && i > 0 {
			return name[:i]
		}
	}
	return name
}

// EntityF1 returns the token-level micro F1 of the first extractor (0 when
// the pipeline extracts no entities).
func (r *Report) EntityF1() float64 {
	if len(r.Extractors) == 0 {
		return 0
	}
	if m := r.Entities[r.Extractors[0]].MicroAvg; m != nil {
		return m.F1
	}
	return 0
}

// targetEntities returns the annotations of ex with code point offsets.
func targetEntities(ex project.Example) []nlu.Entity {
	out := []nlu.Entity{}
	for _, e := range ex.Entities {
		if e.Start < 0 || e.End > len(ex.Text) || e.Start >= e.End {
			continue
		}
		out = append(out, nlu.Entity{Entity: e.Entity, Value: e.Value, Role: e.Role,
			Group: e.Group, Start: utf8.RuneCountInString(ex.Text[:e.Start]),
			End: utf8.RuneCountInString(ex.Text[:e.End])})
	}
	return out
}

func byExtractor(ents []nlu.Entity, name string) []nlu.Entity {
	out := []nlu.Entity{}
	for _, e := range ents {
		if e.Extractor == name {
			out = append(out, e)
		}
	}
	return out
}
