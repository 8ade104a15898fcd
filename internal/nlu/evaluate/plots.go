package evaluate

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The plot files `rasa test nlu` writes.
const (
	ConfusionMatrixFile = "intent_confusion_matrix.png"
	HistogramFile       = "intent_histogram.png"
)

// CalibrationBins is the number of equal-width confidence bins of the
// expected calibration error and the reliability diagram.
const CalibrationBins = 15

// ECE is the expected calibration error of predictions with the given
// confidences and correctness: the mean over equal-width bins of
// |accuracy - mean confidence|, weighted by the share of predictions in
// the bin.
func ECE(conf []float64, correct []bool, bins int) float64 {
	if len(conf) == 0 || bins < 1 {
		return 0
	}
	count, sumConf, hits := binStats(conf, correct, bins)
	e := 0.0
	for k := range count {
		if count[k] > 0 {
			e += math.Abs(sumConf[k]-hits[k]) / float64(len(conf))
		}
	}
	return e
}

// binStats counts predictions, sums confidences and counts hits per bin.
func binStats(conf []float64, correct []bool, bins int) (count []int, sumConf, hits []float64) {
	count, sumConf, hits = make([]int, bins), make([]float64, bins), make([]float64, bins)
	for i, p := range conf {
		k := min(max(int(p*float64(bins)), 0), bins-1)
		count[k]++
		sumConf[k] += p
		if correct[i] {
			hits[k]++
		}
	}
	return count, sumConf, hits
}

// WritePlots writes the confusion matrix and the confidence histogram of
// the intent predictions into dir.
func (r *Report) WritePlots(dir string) error {
	if len(r.truth) == 0 {
		return nil
	}
	if err := writeConfusion(filepath.Join(dir, ConfusionMatrixFile), r.truth, r.pred); err != nil {
		return err
	}
	var hits, misses []float64
	for i, c := range r.IntentConfidences {
		if r.IntentCorrect[i] {
			hits = append(hits, c)
		} else {
			misses = append(misses, c)
		}
	}
	return writeHistogram(filepath.Join(dir, HistogramFile), hits, misses)
}

// confusionGrid is a confusion matrix as a heat map grid: column x is the
// predicted label, row y the true one (drawn top to bottom).
type confusionGrid struct {
	n      int
	counts []float64
}

func (g confusionGrid) Dims() (c, r int)   { return g.n, g.n }
func (g confusionGrid) Z(c, r int) float64 { return g.counts[(g.n-1-r)*g.n+c] }
func (g confusionGrid) X(c int) float64    { return float64(c) }
func (g confusionGrid) Y(r int) float64    { return float64(r) }

func writeConfusion(path string, truth, pred []string) error {
	labels := sortedLabels(truth, pred)
	index := map[string]int{}
	for i, l := range labels {
		index[l] = i
	}
	n := len(labels)
	g := confusionGrid{n: n, counts: make([]float64, n*n)}
	for i, t := range truth {
		g.counts[index[t]*n+index[pred[i]]]++
	}
	// Square roots, so that a few mistakes still show beside the diagonal.
	for i, c := range g.counts {
		g.counts[i] = math.Sqrt(c)
	}
	p := plot.New()
	p.Title.Text = "Intent confusion matrix (colour: square root of the count)"
	p.X.Label.Text, p.Y.Label.Text = "predicted", "true"
	p.Add(plotter.NewHeatMap(g, whiteToBlue(32)))
	ticks := make([]plot.Tick, n)
	rows := make([]plot.Tick, n)
	for i, l := range labels {
		ticks[i] = plot.Tick{Value: float64(i), Label: l}
		rows[i] = plot.Tick{Value: float64(n - 1 - i), Label: l}
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.ConstantTicks(ticks), plot.ConstantTicks(rows)
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	size := vg.Length(6+0.18*float64(n)) * vg.Inch
	if n > 30 {
		p.X.Tick.Label.Font.Size, p.Y.Tick.Label.Font.Size = vg.Points(6), vg.Points(6)
	}
	return save(p, size, size, path)
}

// whiteToBlue is a palette of n colours from white (nothing) to dark blue.
func whiteToBlue(n int) palette.Palette {
	cs := make([]color.Color, n)
	for i := range cs {
		f := float64(i) / float64(n-1)
		cs[i] = color.RGBA{R: uint8(255 - 235*f), G: uint8(255 - 195*f), B: uint8(255 - 115*f),
			A: 255}
	}
	return colors(cs)
}

type colors []color.Color

func (c colors) Colors() []color.Color { return c }

func sortedLabels(truth, pred []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range append(append([]string(nil), truth...), pred...) {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}

func writeHistogram(path string, hits, misses []float64) error {
	p := plot.New()
	p.Title.Text = "Intent prediction confidence"
	p.X.Label.Text, p.Y.Label.Text = "confidence", "number of predictions"
	for _, s := range []struct {
		vals  []float64
		name  string
		color color.RGBA
	}{{hits, "correct", color.RGBA{R: 40, G: 140, B: 60, A: 200}},
		{misses, "wrong", color.RGBA{R: 200, G: 50, B: 40, A: 200}}} {
		if len(s.vals) == 0 {
			continue
		}
		h, err := plotter.NewHist(plotter.Values(s.vals), 20)
		if err != nil {
			return fmt.Errorf("histogram: %w", err)
		}
		h.FillColor = s.color
		p.Add(h)
		p.Legend.Add(s.name, h)
	}
	p.X.Min, p.X.Max = 0, 1
	p.Legend.Top, p.Legend.Left = true, true
	return save(p, 6*vg.Inch, 4*vg.Inch, path)
}

// WriteReliabilityDiagram draws accuracy against confidence per bin, with
// the diagonal of perfect calibration, into a PNG file.
func WriteReliabilityDiagram(path, title string, conf []float64, correct []bool) error {
	count, sumConf, hits := binStats(conf, correct, CalibrationBins)
	var pts, diag plotter.XYs
	for k := range count {
		if count[k] > 0 {
			c := float64(count[k])
			pts = append(pts, plotter.XY{X: sumConf[k] / c, Y: hits[k] / c})
		}
	}
	diag = plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s (ECE %.3f)", title, ECE(conf, correct, CalibrationBins))
	p.X.Label.Text, p.Y.Label.Text = "mean confidence in bin", "accuracy in bin"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	line, err := plotter.NewLine(diag)
	if err != nil {
		return fmt.Errorf("reliability diagram: %w", err)
	}
	line.Dashes = []vg.Length{vg.Points(4), vg.Points(4)}
	l, s, err := plotter.NewLinePoints(pts)
	if err != nil {
		return fmt.Errorf("reliability diagram: %w", err)
	}
	p.Add(plotter.NewGrid(), line, l, s)
	p.Legend.Add("perfect calibration", line)
	p.Legend.Add("Parley", l, s)
	p.Legend.Top, p.Legend.Left = true, true
	return save(p, 5*vg.Inch, 5*vg.Inch, path)
}

func save(p *plot.Plot, w, h vg.Length, path string) error {
	if err := p.Save(w, h, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
