package evaluate

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/project"
)

func TestClassifyKnownAnswer(t *testing.T) {
	truth := []string{"a", "a", "a", "b", "b", "c"}
	pred := []string{"a", "a", "b", "b", "c", "c"}
	r := classify(truth, pred, "")
	near := func(got, want float64) bool { return math.Abs(got-want) < 1e-9 }
	a := r.Labels["a"]
	if !near(a.Precision, 1) || !near(a.Recall, 2.0/3) || a.Support != 3 ||
		a.ConfusedWith["b"] != 1 {
		t.Errorf("a = %+v", a)
	}
	if !near(*r.Accuracy, 4.0/6) || !near(r.MacroAvg.Recall, (2.0/3+0.5+1)/3) {
		t.Errorf("accuracy %v macro %+v", *r.Accuracy, r.MacroAvg)
	}
	e := classify([]string{"no_entity", "city", "city"}, []string{"city", "city", "no_entity"},
		noEntity)
	if _, ok := e.Labels[noEntity]; ok || !near(e.MicroAvg.F1, 0.5) {
		t.Errorf("entity report %+v micro %+v", e.Labels, e.MicroAvg)
	}
}

func TestRunAndWriteFiles(t *testing.T) {
	ex := func(intent, text string, ents ...project.EntityAnnotation) project.Example {
		return project.Example{Intent: intent, Text: text, Entities: ents}
	}
	city := func(s, e int, v string) project.EntityAnnotation {
		return project.EntityAnnotation{Start: s, End: e, Entity: "city", Value: v}
	}
	data := project.NLUData{Examples: []project.Example{
		ex("fly", "fly to Berlin", city(7, 13, "Berlin")),
		ex("fly", "fly to Rome", city(7, 11, "Rome")),
		ex("fly", "a flight to Oslo", city(12, 16, "Oslo")), ex("fly", "go to Paris", city(6, 11, "Paris")),
		ex("greet", "hello"), ex("greet", "hi there"), ex("greet", "good morning"),
	}}
	m, err := pipeline.Train(context.Background(), data, project.Config{PipelineDefaulted: true},
		pipeline.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), m, data.Examples)
	if err != nil {
		t.Fatal(err)
	}
	if r.IntentAccuracy != 1 || r.EntityF1() != 1 || r.SpanF1["DIETClassifier"] != 1 {
		t.Errorf("accuracy %v entity F1 %v span %v", r.IntentAccuracy, r.EntityF1(), r.SpanF1)
	}
	dir := t.TempDir()
	if err := r.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	var rep map[string]any
	raw, err := os.ReadFile(filepath.Join(dir, "intent_report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"fly", "greet", "accuracy", "macro avg", "weighted avg"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("intent_report.json lacks %q", k)
		}
	}
	raw, err = os.ReadFile(filepath.Join(dir, "DIETClassifier_report.json"))
	if err != nil {
		t.Fatal(err)
	}
	rep = nil
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	if _, ok := rep["micro avg"]; !ok || rep["no_entity"] != nil {
		t.Errorf("entity report = %s", raw)
	}
	for _, f := range []string{"intent_errors.json", "DIETClassifier_errors.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}
