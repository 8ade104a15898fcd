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
// TODO: the confusion matrix and histogram PNGs are not drawn yet; only the
// JSON reports are written.
package evaluate

import (
	"context"
	"fmt"
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
	r := &Report{Entities: map[string]Classification{}, EntityErrors: map[string][]EntityError{},
		SpanF1: map[string]float64{}, Extractors: m.Extractors()}
	var truth, pred []string
	tok := map[string]*tokenTally{}
	for _, x := range r.Extractors {
		tok[x] = &tokenTally{}
	}
	for i, ex := range examples {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("evaluating NLU: %w", ctx.Err())
		}
		p := m.Parse(ex.Text)
		if ex.Intent != "" {
			want := baseIntent(ex.Intent)
			truth, pred = append(truth, want), append(pred, p.Intent.Name)
			if want != p.Intent.Name {
				r.IntentErrors = append(r.IntentErrors, IntentError{Text: ex.Text,
					Intent: want, Prediction: nlu.Intent{Name: p.Intent.Name,
						Confidence: p.Intent.Confidence}})
			}
		}
		targets := targetEntities(ex)
		for _, x := range r.Extractors {
			got := byExtractor(p.Entities, x)
			if tok[x].add(p.TextTokens, targets, got) {
				r.EntityErrors[x] = append(r.EntityErrors[x],
					EntityError{Text: ex.Text, Entities: targets, Predicted: got})
			}
		}
	}
	r.Intent = classify(truth, pred, "")
	r.Intent.MicroAvg = nil
	if r.Intent.Accuracy != nil {
		r.IntentAccuracy = *r.Intent.Accuracy
	}
	for _, x := range r.Extractors {
		rep := classify(tok[x].truth, tok[x].pred, noEntity)
		rep.Accuracy = nil
		r.Entities[x] = rep
		r.SpanF1[x] = tok[x].spanF1()
	}
	return r, nil
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
