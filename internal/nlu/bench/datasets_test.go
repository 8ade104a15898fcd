package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/project"
)

func TestBIOExample(t *testing.T) {
	ex, err := bioExample("add step to me to the 50 clásicos playlist",
		"O B-entity_name I-entity_name I-entity_name O O B-playlist I-playlist O", "AddToPlaylist")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"entity_name=step to me", "playlist=50 clásicos"}
	if len(ex.Entities) != len(want) {
		t.Fatalf("entities = %+v", ex.Entities)
	}
	for i, e := range ex.Entities {
		if got := e.Entity + "=" + ex.Text[e.Start:e.End]; got != want[i] || e.Value != ex.Text[e.Start:e.End] {
			t.Errorf("entity %d = %s (value %v), want %s", i, got, e.Value, want[i])
		}
	}
	// An I- tag without its B- starts an entity; two B- tags in a row are two.
	ex, _ = bioExample("a b c", "I-x B-x B-x", "i")
	if len(ex.Entities) != 3 {
		t.Errorf("entities = %+v", ex.Entities)
	}
	if _, err := bioExample("a b", "O", "i"); err == nil {
		t.Error("tag count mismatch accepted")
	}
}

func TestReadSnips2017AndBraun(t *testing.T) {
	dir := t.TempDir()
	snips := `{"GetWeather": [{"data": [{"text": "weather in "},` +
		`{"text": " Paris ", "entity": "city"}, {"text": "?"}]}, {"data": [{"text": "rain"}]}]}`
	path := filepath.Join(dir, "train.json")
	if err := os.WriteFile(path, []byte(snips), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := ReadSnips2017(path, "GetWeather", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Examples) != 1 || d.Examples[0].Text != "weather in  Paris ?" {
		t.Fatalf("examples = %+v", d.Examples)
	}
	e := d.Examples[0].Entities[0]
	if d.Examples[0].Text[e.Start:e.End] != "Paris" || e.Entity != "city" {
		t.Errorf("entity = %+v", e)
	}
	if _, err := ReadSnips2017(path, "PlayMusic", 0); err == nil {
		t.Error("missing intent accepted")
	}
	latin := append([]byte(`{"I": [{"data": [{"text": "caf`), 0xe9, '"', '}', ']', '}', ']', '}')
	if err := os.WriteFile(path, latin, 0o644); err != nil {
		t.Fatal(err)
	}
	if d, err := ReadSnips2017(path, "I", 0); err != nil || d.Examples[0].Text != "café" {
		t.Errorf("Latin-1 file: %v %+v", err, d)
	}
	braun := `{"sentences": [{"text": "a", "intent": "X", "training": true},` +
		`{"text": "b", "intent": "Y", "training": false}]}`
	if err := os.WriteFile(path, []byte(braun), 0o644); err != nil {
		t.Fatal(err)
	}
	train, test, err := ReadBraun(path)
	if err != nil || len(train.Examples) != 1 || len(test.Examples) != 1 ||
		test.Examples[0].Intent != "Y" {
		t.Errorf("braun: %v %+v %+v", err, train, test)
	}
}

func TestSummarize(t *testing.T) {
	runs := []Result{{IntentAccuracy: 0.8, EntityF1: 0.5, TestExamples: 100},
		{IntentAccuracy: 0.9, EntityF1: 0.7, TestExamples: 300}}
	r := summarize("x", runs, true, true)
	if abs(r.IntentAccuracy-0.85) > 1e-12 || abs(r.IntentSD-0.0707106781) > 1e-6 {
		t.Errorf("mean %v sd %v", r.IntentAccuracy, r.IntentSD)
	}
	if p := pool("y", runs); abs(p.IntentAccuracy-0.875) > 1e-12 || !p.Pooled {
		t.Errorf("pooled = %+v", p)
	}
	var empty project.NLUData
	ten := project.NLUData{Examples: make([]project.Example, 10)}
	if head(empty, 3).Examples != nil || len(head(ten, 3).Examples) != 3 {
		t.Error("head of nothing")
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestWritePeer(t *testing.T) {
	s := &Suite{Rows: []Row{{Name: "HWU64", Runs: []Result{
		{Name: "hwu64 fold-1", IntentAccuracy: 0.9, TrainSeconds: 2, ParseP50: 40e3},
		{Name: "hwu64 fold-2", IntentAccuracy: 0.8, TrainSeconds: 4, ParseP50: 60e3}}}}}
	peer := []PeerResult{{Dataset: "hwu64/fold-1", IntentAccuracy: 0.7, TrainSeconds: 30,
		ParseMS: 0.5, RSSMB: 200}, {Dataset: "hwu64/fold-2", IntentAccuracy: 0.8,
		TrainSeconds: 30, ParseMS: 0.5, RSSMB: 300}, {Dataset: "snips"}}
	var b strings.Builder
	s.writePeer(&b, peer)
	want := "| hwu64 (mean of folds) | 75.00 | 85.00 | 30.00 / 3.00 (10.0×) | 500 / 50 (10.0×) | 250 |"
	if !strings.Contains(b.String(), want) {
		t.Errorf("peer table:\n%s\nwant a line %s", b.String(), want)
	}
}
