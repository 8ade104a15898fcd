package evaluate

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
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

func TestECE(t *testing.T) {
	// Two bins: 0.95 (two right of two) and 0.55 (one right of two).
	conf := []float64{0.95, 0.95, 0.55, 0.55}
	ok := []bool{true, true, true, false}
	want := (2*math.Abs(0.95-1) + 2*math.Abs(0.55-0.5)) / 4
	if got := ECE(conf, ok, 15); math.Abs(got-want) > 1e-12 {
		t.Errorf("ECE = %v, want %v", got, want)
	}
	if ECE(nil, nil, 15) != 0 || ECE([]float64{1}, []bool{true}, 15) != 0 {
		t.Error("ECE of nothing or of a sure right answer is not 0")
	}
}

func travelExamples() project.NLUData {
	city := func(text, c string) project.Example {
		i := len(text) - len(c)
		return project.Example{Intent: "fly", Text: text, Entities: []project.EntityAnnotation{
			{Start: i, End: len(text), Entity: "city", Value: c}}}
	}
	var exs []project.Example
	for _, c := range []string{"Berlin", "Rome", "Oslo", "Paris", "Madrid", "Vienna"} {
		exs = append(exs, city("fly to "+c, c), city("a flight to "+c, c))
	}
	for _, g := range []string{"hello", "hi there", "good morning", "hey", "good evening",
		"hello friend"} {
		exs = append(exs, project.Example{Intent: "greet", Text: g})
	}
	return project.NLUData{Examples: exs}
}

func TestCrossValidate(t *testing.T) {
	data := travelExamples()
	rep, folds, err := CrossValidate(context.Background(), data,
		project.Config{PipelineDefaulted: true}, 3, 1, pipeline.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(folds) != 3 || len(rep.IntentCorrect) != len(data.Examples) {
		t.Fatalf("%d folds, %d predictions", len(folds), len(rep.IntentCorrect))
	}
	for _, f := range folds {
		if f.Train+f.Test != len(data.Examples) || f.Test < 5 {
			t.Errorf("fold %+v", f)
		}
	}
	if rep.IntentAccuracy < 0.9 || rep.EntityF1() < 0.8 {
		t.Errorf("accuracy %v, entity F1 %v", rep.IntentAccuracy, rep.EntityF1())
	}
	dir := t.TempDir()
	if err := rep.WritePlots(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{ConfusionMatrixFile, HistogramFile} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || len(b) < 8 || string(b[1:4]) != "PNG" {
			t.Errorf("%s: %v (%d bytes)", f, err, len(b))
		}
	}
	path := filepath.Join(dir, "reliability.png")
	if err := WriteReliabilityDiagram(path, "test", rep.IntentConfidences,
		rep.IntentCorrect); err != nil {
		t.Fatal(err)
	}
	if _, _, err := CrossValidate(context.Background(), data, project.Config{}, 1, 1,
		pipeline.TrainOptions{}); err == nil {
		t.Error("one fold accepted")
	}
}

func TestStratify(t *testing.T) {
	exs := travelExamples().Examples
	a := stratify(exs, 4, 7)
	per := map[[2]int]int{}
	for i, f := range a {
		k := 0
		if exs[i].Intent == "greet" {
			k = 1
		}
		per[[2]int{k, f}]++
	}
	for k, n := range per {
		if n < 1 || n > 3 {
			t.Errorf("fold %d has %d examples of intent %d", k[1], n, k[0])
		}
	}
	if b := stratify(exs, 4, 7); !slices.Equal(a, b) {
		t.Error("stratify is not deterministic")
	}
}
