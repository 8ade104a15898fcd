package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strconv"
)

// The largest label shown in full beside a confusion matrix; longer ones
// are cut and end in "..".
const maxLabel = 32

// ConfusionMatrix draws counts as a heat map: row i is the true label
// labels[i], column j the predicted label labels[j], and counts[i][j] how
// often that happened. The colour of a cell grows with the square root of
// its count, so that a few mistakes still show beside a full diagonal;
// cells large enough also carry the count.
func ConfusionMatrix(title string, labels []string, counts [][]int) (*image.RGBA, error) {
	n := len(labels)
	if len(counts) != n {
		return nil, fmt.Errorf("plot: %d labels but %d rows of counts", n, len(counts))
	}
	peak := 0
	for i, row := range counts {
		if len(row) != n {
			return nil, fmt.Errorf("plot: row %d has %d counts, want %d", i, len(row), n)
		}
		for _, v := range row {
			peak = max(peak, v)
		}
	}
	left, top, cell, labelW := matrixLayout(labels)
	w := max(left+n*cell+90, textWidth(title)+20)
	h := top + n*cell + labelW + 40
	c := newCanvas(w, h)
	c.textCentered(w/2, 10, title, Black)
	for i := range n {
		for j := range n {
			drawCell(c, left+j*cell, top+i*cell, cell, counts[i][j], peak)
		}
	}
	c.rect(left, top, left+n*cell, top+n*cell, Black)
	for i, l := range labels {
		l = clip(l, maxLabel)
		mid := i*cell + cell/2
		c.textRight(left-6, top+mid-lineH/2, l, Black)
		c.textUp(left+mid-lineH/2, top+n*cell+6, l, Black)
	}
	c.textUp(4, top+n*cell/2-textWidth("true")/2, "true", Black)
	c.textCentered(left+n*cell/2, h-18, "predicted", Black)
	colourBar(c, left+n*cell+20, top, min(n*cell, 240), peak)
	return c.img, nil
}

// matrixLayout places a confusion matrix: the left and top edges of its
// grid, the side of a cell and the width of the longest label.
func matrixLayout(labels []string) (left, top, cell, labelW int) {
	for _, l := range labels {
		labelW = max(labelW, textWidth(clip(l, maxLabel)))
	}
	cell = min(max(600/max(len(labels), 1), 8), 48)
	return labelW + 36, 40, cell, labelW
}

// drawCell paints one cell of a heat map and writes its count when it
// fits.
func drawCell(c *canvas, x, y, size, count, peak int) {
	f := 0.0
	if peak > 0 {
		f = math.Sqrt(float64(count) / float64(peak))
	}
	c.fill(x, y, x+size, y+size, heat(f))
	s := strconv.Itoa(count)
	if count == 0 || size < lineH+2 || textWidth(s) > size-2 {
		return
	}
	ink := Black
	if f > 0.55 {
		ink = White
	}
	c.textCentered(x+size/2, y+size/2-lineH/2, s, ink)
}

// colourBar draws the scale of a heat map: h pixels high, from peak at
// the top to 0 at the bottom.
func colourBar(c *canvas, x, y, h, peak int) {
	if h < 2 {
		return
	}
	for k := range h {
		f := 1 - float64(k)/float64(h-1)
		c.fill(x, y+k, x+14, y+k+1, heat(f))
	}
	c.rect(x, y, x+14, y+h-1, Black)
	c.text(x+18, y, strconv.Itoa(peak), Black)
	c.text(x+18, y+h-lineH, "0", Black)
}

// heat is the colour of a heat map cell at f in [0, 1]: white to dark
// blue.
func heat(f float64) color.RGBA {
	f = min(max(f, 0), 1)
	return color.RGBA{R: uint8(255 - 235*f), G: uint8(255 - 195*f), B: uint8(255 - 115*f), A: 255}
}

// Series is one named set of values with its colour.
type Series struct {
	Name   string
	Values []float64
	Colour color.RGBA
}

// Histogram draws how the values of each series fall into bins equal
// bins over [lo, hi]; values outside go to the first or last bin. The
// series' bars stand side by side within a bin.
func Histogram(title, xLabel, yLabel string, lo, hi float64, bins int,
	series []Series) (*image.RGBA, error) {
	if bins < 1 || !(hi > lo) {
		return nil, fmt.Errorf("plot: histogram needs bins > 0 and hi > lo, got %d, [%g, %g]",
			bins, lo, hi)
	}
	counts := make([][]int, len(series))
	peak := 1
	for s, ser := range series {
		counts[s] = make([]int, bins)
		for _, v := range ser.Values {
			k := min(max(int((v-lo)/(hi-lo)*float64(bins)), 0), bins-1)
			counts[s][k]++
			peak = max(peak, counts[s][k])
		}
	}
	yTicks := ticks(0, float64(peak), 5)
	a := newAxes(640, 420, lo, hi, 0, math.Max(float64(peak), yTicks[len(yTicks)-1]))
	a.frame(title, xLabel, yLabel, ticks(lo, hi, 5), yTicks)
	width := (hi - lo) / float64(bins)
	var legend []legendEntry
	for s, ser := range series {
		for k, n := range counts[s] {
			if n == 0 {
				continue
			}
			x0 := lo + width*(float64(k)+float64(s)/float64(len(series)))
			x1 := x0 + width/float64(len(series))
			a.c.fill(a.px(x0)+1, a.py(float64(n)), a.px(x1), a.bottom, ser.Colour)
		}
		legend = append(legend, legendEntry{name: ser.Name, colour: ser.Colour})
	}
	a.legend(legend)
	return a.c.img, nil
}

// Line is a polyline through points, with its name for the legend.
type Line struct {
	Name   string
	Points [][2]float64
	Colour color.RGBA
	// Dashed draws the line dashed and without point markers.
	Dashed bool
}

// Lines draws lines over the ranges [xMin, xMax] × [yMin, yMax] on a
// canvas of w×h pixels, with a grid and a legend.
func Lines(title, xLabel, yLabel string, w, h int, xMin, xMax, yMin, yMax float64,
	lines []Line) (*image.RGBA, error) {
	if !(xMax > xMin) || !(yMax > yMin) || w < 200 || h < 200 {
		return nil, fmt.Errorf("plot: line chart needs a positive range and at least "+
			"200×200 pixels, got [%g, %g]×[%g, %g] on %d×%d", xMin, xMax, yMin, yMax, w, h)
	}
	a := newAxes(w, h, xMin, xMax, yMin, yMax)
	a.frame(title, xLabel, yLabel, ticks(xMin, xMax, 5), ticks(yMin, yMax, 5))
	var legend []legendEntry
	for _, l := range lines {
		dash := 0
		if l.Dashed {
			dash = 6
		}
		for i := 1; i < len(l.Points); i++ {
			p, q := l.Points[i-1], l.Points[i]
			a.c.line(a.px(p[0]), a.py(p[1]), a.px(q[0]), a.py(q[1]), 2, dash, l.Colour)
		}
		if !l.Dashed {
			for _, p := range l.Points {
				x, y := a.px(p[0]), a.py(p[1])
				a.c.fill(x-3, y-3, x+4, y+4, l.Colour)
			}
		}
		legend = append(legend, legendEntry{name: l.Name, colour: l.Colour, dashed: l.Dashed})
	}
	a.legend(legend)
	return a.c.img, nil
}

// CountPairs counts the pairs (truth[i], pred[i]) for ConfusionMatrix:
// labels is the sorted union of both lists, and counts[t][p] how often
// labels[t] was predicted as labels[p]. pred must be as long as truth.
func CountPairs(truth, pred []string) (labels []string, counts [][]int) {
	seen := map[string]bool{}
	for _, l := range slices.Concat(truth, pred) {
		if !seen[l] {
			seen[l] = true
			labels = append(labels, l)
		}
	}
	slices.Sort(labels)
	index := make(map[string]int, len(labels))
	for i, l := range labels {
		index[l] = i
	}
	counts = make([][]int, len(labels))
	for i := range counts {
		counts[i] = make([]int, len(labels))
	}
	for i, t := range truth {
		counts[index[t]][index[pred[i]]]++
	}
	return labels, counts
}
