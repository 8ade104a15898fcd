package plot

import (
	"image/color"
	"math"
	"strconv"
)

// axes maps data coordinates to the pixels of a plot area and draws its
// frame, ticks, grid and labels.
type axes struct {
	c *canvas
	// left, top, right, bottom bound the plot area in pixels.
	left, top, right, bottom int
	xMin, xMax, yMin, yMax   float64
}

// The margins around a plot area: room for the title, tick labels and
// axis labels.
const (
	marginLeft   = 64
	marginTop    = 34
	marginRight  = 20
	marginBottom = 48
)

// newAxes lays out a plot area on a canvas of w×h pixels.
func newAxes(w, h int, xMin, xMax, yMin, yMax float64) *axes {
	return &axes{c: newCanvas(w, h), left: marginLeft, top: marginTop,
		right: w - marginRight, bottom: h - marginBottom,
		xMin: xMin, xMax: xMax, yMin: yMin, yMax: yMax}
}

// px is the pixel column of data x.
func (a *axes) px(x float64) int {
	f := (x - a.xMin) / (a.xMax - a.xMin)
	return a.left + int(math.Round(f*float64(a.right-a.left)))
}

// py is the pixel row of data y.
func (a *axes) py(y float64) int {
	f := (y - a.yMin) / (a.yMax - a.yMin)
	return a.bottom - int(math.Round(f*float64(a.bottom-a.top)))
}

// frame draws the title, the grid at the ticks, the ticks with their
// labels, the box and the axis labels.
func (a *axes) frame(title, xLabel, yLabel string, xTicks, yTicks []float64) {
	c := a.c
	c.textCentered((a.left+a.right)/2, 10, title, Black)
	for _, x := range xTicks {
		c.fill(a.px(x), a.top, a.px(x)+1, a.bottom, LightGrey)
		c.fill(a.px(x), a.bottom, a.px(x)+1, a.bottom+5, Black)
		c.textCentered(a.px(x), a.bottom+7, tickLabel(x), Black)
	}
	for _, y := range yTicks {
		c.fill(a.left, a.py(y), a.right, a.py(y)+1, LightGrey)
		c.fill(a.left-5, a.py(y), a.left, a.py(y)+1, Black)
		c.textRight(a.left-8, a.py(y)-lineH/2, tickLabel(y), Black)
	}
	c.rect(a.left, a.top, a.right, a.bottom, Black)
	c.textCentered((a.left+a.right)/2, a.bottom+26, xLabel, Black)
	c.textUp(8, (a.top+a.bottom)/2-textWidth(yLabel)/2, yLabel, Black)
}

// legendEntry is one line of a legend: a colour swatch and a name.
type legendEntry struct {
	name   string
	colour color.Color
	dashed bool
}

// legend draws the entries in a box at the plot area's top-left corner.
func (a *axes) legend(entries []legendEntry) {
	w := 0
	for _, e := range entries {
		w = max(w, textWidth(e.name))
	}
	x, y := a.left+8, a.top+8
	a.c.fill(x, y, x+w+42, y+len(entries)*(lineH+4)+8, White)
	a.c.rect(x, y, x+w+42, y+len(entries)*(lineH+4)+8, Grey)
	for i, e := range entries {
		row := y + 6 + i*(lineH+4)
		if e.dashed {
			a.c.line(x+6, row+lineH/2, x+30, row+lineH/2, 2, 4, e.colour)
		} else {
			a.c.fill(x+6, row+2, x+30, row+lineH-2, e.colour)
		}
		a.c.text(x+36, row, e.name, Black)
	}
}

// ticks returns round values from lo to hi, about n of them.
func ticks(lo, hi float64, n int) []float64 {
	if hi <= lo || n < 1 {
		return []float64{lo}
	}
	step := niceStep((hi - lo) / float64(n))
	var out []float64
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

// niceStep rounds a raw tick step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// tickLabel formats a tick value as briefly as it allows.
func tickLabel(v float64) string {
	return strconv.FormatFloat(v, 'g', 4, 64)
}
