package storytest

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/parley-chat/parley/internal/plot"
)

func TestWritePlotsDrawsExpectedAgainstPredicted(t *testing.T) {
	r := &Report{Actions: []ActionResult{
		{Action: "utter_greet", Predicted: "utter_greet"},
		{Action: "action_listen", Predicted: "action_listen"},
		{Action: "utter_goodbye", Predicted: "utter_greet"},
		{Action: "action_listen", Predicted: "action_listen"},
	}}
	dir := filepath.Join(t.TempDir(), "results")
	if err := r.WritePlots(dir); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, ConfusionMatrixFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", ConfusionMatrixFile, err)
	}
	// Rows are the stories' actions, columns the predictions, both sorted.
	want, err := plot.ConfusionMatrix("Action confusion matrix (colour: square root of the count)",
		[]string{"action_listen", "utter_goodbye", "utter_greet"},
		[][]int{{2, 0, 0}, {0, 0, 1}, {0, 0, 1}})
	if err != nil {
		t.Fatal(err)
	}
	if !samePixels(got, want) {
		t.Error("the matrix differs from expected-by-predicted counts [[2 0 0] [0 0 1] [0 0 1]]")
	}
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return false
			}
		}
	}
	return true
}

func TestWritePlotsWithoutActionsWritesNothing(t *testing.T) {
	dir := t.TempDir()
	if err := (&Report{}).WritePlots(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ConfusionMatrixFile)); !os.IsNotExist(err) {
		t.Errorf("a report without actions wrote %s (%v)", ConfusionMatrixFile, err)
	}
}
