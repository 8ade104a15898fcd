package plot

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// brightness is the sum of a pixel's red, green and blue.
func brightness(img *image.RGBA, x, y int) int {
	c := img.RGBAAt(x, y)
	return int(c.R) + int(c.G) + int(c.B)
}

func TestConfusionMatrixShadesByCount(t *testing.T) {
	labels := []string{"affirm", "deny", "greet"}
	counts := [][]int{{9, 1, 0}, {0, 4, 0}, {2, 0, 0}}
	img, err := ConfusionMatrix("test", labels, counts)
	if err != nil {
		t.Fatal(err)
	}
	left, top, cell, _ := matrixLayout(labels)
	// A corner of each cell, away from the count written in its middle.
	at := func(i, j int) int { return brightness(img, left+j*cell+3, top+i*cell+3) }
	if !(at(0, 0) < at(1, 1) && at(1, 1) < at(2, 0) && at(2, 0) < at(0, 1)) {
		t.Errorf("cells 9, 4, 2, 1 should darken with the count: brightness %d, %d, %d, %d",
			at(0, 0), at(1, 1), at(2, 0), at(0, 1))
	}
	if at(0, 2) != 3*255 || at(2, 2) != 3*255 {
		t.Errorf("empty cells should be white, got brightness %d and %d", at(0, 2), at(2, 2))
	}
	// The row labels are drawn left of the grid, in the row's band.
	if !inked(img, image.Rect(0, top, left, top+cell)) {
		t.Error("no label left of the first row")
	}
	// The column labels are drawn below the grid.
	if !inked(img, image.Rect(left, top+3*cell+2, left+cell, img.Bounds().Dy()-20)) {
		t.Error("no label below the first column")
	}
}

// inked reports whether r holds a dark (text) pixel.
func inked(img *image.RGBA, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if brightness(img, x, y) < 100 {
				return true
			}
		}
	}
	return false
}

func TestConfusionMatrixRefusesRaggedCounts(t *testing.T) {
	if _, err := ConfusionMatrix("t", []string{"a", "b"}, [][]int{{1, 0}}); err == nil {
		t.Error("one row for two labels: want an error")
	}
	if _, err := ConfusionMatrix("t", []string{"a", "b"}, [][]int{{1, 0}, {1}}); err == nil {
		t.Error("a short row: want an error")
	}
}

func TestCountPairs(t *testing.T) {
	labels, counts := CountPairs([]string{"b", "a", "b", "b"}, []string{"b", "c", "a", "b"})
	if !slices.Equal(labels, []string{"a", "b", "c"}) {
		t.Fatalf("labels %v, want [a b c]", labels)
	}
	want := [][]int{{0, 0, 1}, {1, 2, 0}, {0, 0, 0}}
	for i := range want {
		if !slices.Equal(counts[i], want[i]) {
			t.Errorf("row %s: %v, want %v", labels[i], counts[i], want[i])
		}
	}
}

// holds reports whether r holds a pixel of colour c.
func holds(img *image.RGBA, r image.Rectangle, c color.RGBA) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.RGBAAt(x, y) == c {
				return true
			}
		}
	}
	return false
}

func TestHistogramPutsBarsInTheirBins(t *testing.T) {
	img, err := Histogram("h", "x", "n", 0, 1, 10, []Series{
		{Name: "high", Values: []float64{0.95, 0.96, 0.99, 1.0}, Colour: Green},
		{Name: "low", Values: []float64{0.02}, Colour: Red},
	})
	if err != nil {
		t.Fatal(err)
	}
	a := newAxes(640, 420, 0, 1, 0, 1)
	// Below the legend, in the left and right tenths of the plot area.
	first := image.Rect(a.px(0), a.py(0.3), a.px(0.1), a.bottom)
	last := image.Rect(a.px(0.9), a.top, a.px(1), a.bottom)
	if !holds(img, last, Green) || holds(img, first, Green) {
		t.Error("the green bar should stand in the last bin only")
	}
	if !holds(img, first, Red) || holds(img, last, Red) {
		t.Error("the red bar should stand in the first bin only")
	}
	if _, err := Histogram("h", "x", "n", 1, 1, 10, nil); err == nil {
		t.Error("an empty range: want an error")
	}
}

func TestLinesDrawsDashedAndSolidLines(t *testing.T) {
	img, err := Lines("r", "x", "y", 400, 400, 0, 1, 0, 1, []Line{
		{Name: "diagonal", Points: [][2]float64{{0, 0}, {1, 1}}, Colour: Grey, Dashed: true},
		{Name: "flat", Points: [][2]float64{{0.2, 0.1}, {0.8, 0.1}}, Colour: Blue},
	})
	if err != nil {
		t.Fatal(err)
	}
	a := newAxes(400, 400, 0, 1, 0, 1)
	onDiagonal, gaps := 0, 0
	for k := range 200 {
		f := 0.5 + float64(k)/500 // the upper half, clear of the legend's corner
		if img.RGBAAt(a.px(f), a.py(f)) == Grey {
			onDiagonal++
		} else {
			gaps++
		}
	}
	if onDiagonal < 50 || gaps < 50 {
		t.Errorf("the dashed diagonal: %d pixels drawn, %d gaps; want both", onDiagonal, gaps)
	}
	for _, x := range []float64{0.2, 0.5, 0.8} {
		if img.RGBAAt(a.px(x), a.py(0.1)) != Blue {
			t.Errorf("the solid line is missing at x=%g", x)
		}
	}
	if _, err := Lines("r", "x", "y", 100, 100, 0, 1, 0, 1, nil); err == nil {
		t.Error("a 100×100 chart: want an error")
	}
}

func TestTextUpIsTurned(t *testing.T) {
	c := newCanvas(60, 120)
	c.textUp(10, 10, "vertical", Black)
	var box image.Rectangle
	for y := range 120 {
		for x := range 60 {
			if brightness(c.img, x, y) < 100 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if box.Dy() < 3*box.Dx() || box.Dy() > textWidth("vertical") || box.Dx() > lineH {
		t.Errorf("turned text should be tall and narrow, inked box %v", box)
	}
}

func TestSaveWritesAPNG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.png")
	img, err := ConfusionMatrix("m", []string{"a"}, [][]int{{3}})
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(path, img); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := png.Decode(f)
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if got.Bounds() != img.Bounds() {
		t.Errorf("PNG of %v, want %v", got.Bounds(), img.Bounds())
	}
	if err := Save(filepath.Join(t.TempDir(), "missing", "m.png"), img); err == nil {
		t.Error("saving into a missing folder: want an error")
	}
}
