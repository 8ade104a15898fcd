package evaluate

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/parley-chat/parley/internal/plot"
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

func writeConfusion(path string, truth, pred []string) error {
	labels, counts := plot.CountPairs(truth, pred)
	img, err := plot.ConfusionMatrix("Intent confusion matrix (colour: square root of the count)",
		labels, counts)
	if err != nil {
		return fmt.Errorf("intent confusion matrix: %w", err)
	}
	return plot.Save(path, img)
}

func writeHistogram(path string, hits, misses []float64) error {
	img, err := plot.Histogram("Intent prediction confidence", "confidence",
		"number of predictions", 0, 1, 20, []plot.Series{
			{Name: "correct", Values: hits, Colour: plot.Green},
			{Name: "wrong", Values: misses, Colour: plot.Red},
		})
	if err != nil {
		return fmt.Errorf("intent histogram: %w", err)
	}
	return plot.Save(path, img)
}

// WriteReliabilityDiagram draws accuracy against confidence per bin, with
// the diagonal of perfect calibration, into a PNG file.
func WriteReliabilityDiagram(path, title string, conf []float64, correct []bool) error {
	count, sumConf, hits := binStats(conf, correct, CalibrationBins)
	var pts [][2]float64
	for k := range count {
		if count[k] > 0 {
			c := float64(count[k])
			pts = append(pts, [2]float64{sumConf[k] / c, hits[k] / c})
		}
	}
	img, err := plot.Lines(fmt.Sprintf("%s (ECE %.3f)", title, ECE(conf, correct, CalibrationBins)),
		"mean confidence in bin", "accuracy in bin", 500, 500, 0, 1, 0, 1, []plot.Line{
			{Name: "perfect calibration", Points: [][2]float64{{0, 0}, {1, 1}},
				Colour: plot.Grey, Dashed: true},
			{Name: "Parley", Points: pts, Colour: plot.Blue},
		})
	if err != nil {
		return fmt.Errorf("reliability diagram: %w", err)
	}
	return plot.Save(path, img)
}
