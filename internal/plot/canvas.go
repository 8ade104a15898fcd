// Package plot draws the few charts Parley's test commands write: a
// confusion matrix as a heat map, a histogram and a line chart. It draws
// straight into an image.RGBA with a small bitmap font and writes PNG
// files, so that the binary carries no vector graphics or font files.
package plot

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Colours shared by the charts.
var (
	White     = color.RGBA{R: 255, G: 255, B: 255, A: 255}
	Black     = color.RGBA{A: 255}
	Grey      = color.RGBA{R: 130, G: 130, B: 130, A: 255}
	LightGrey = color.RGBA{R: 225, G: 225, B: 225, A: 255}
	Green     = color.RGBA{R: 40, G: 140, B: 60, A: 255}
	Red       = color.RGBA{R: 200, G: 50, B: 40, A: 255}
	Blue      = color.RGBA{R: 30, G: 90, B: 170, A: 255}
)

// The bitmap font: every character is charW pixels wide and lineH high.
const (
	charW  = 7
	lineH  = 13
	ascent = 11
)

var face = basicfont.Face7x13

// canvas is an image with the drawing operations the charts need.
type canvas struct {
	img *image.RGBA
}

// newCanvas returns a white canvas of w×h pixels.
func newCanvas(w, h int) *canvas {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(White), image.Point{}, draw.Src)
	return &canvas{img: img}
}

// fill paints the rectangle [x0,x1)×[y0,y1).
func (c *canvas) fill(x0, y0, x1, y1 int, col color.Color) {
	r := image.Rect(x0, y0, x1, y1).Intersect(c.img.Bounds())
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Src)
}

// rect outlines the rectangle [x0,x1]×[y0,y1] one pixel wide.
func (c *canvas) rect(x0, y0, x1, y1 int, col color.Color) {
	c.fill(x0, y0, x1+1, y0+1, col)
	c.fill(x0, y1, x1+1, y1+1, col)
	c.fill(x0, y0, x0+1, y1+1, col)
	c.fill(x1, y0, x1+1, y1+1, col)
}

// line draws a line from (x0,y0) to (x1,y1), width pixels thick; with
// dash > 0 it draws dash pixels, skips dash pixels, and so on.
func (c *canvas) line(x0, y0, x1, y1, width, dash int, col color.Color) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for step := 0; ; step++ {
		if dash <= 0 || (step/dash)%2 == 0 {
			c.fill(x0-width/2, y0-width/2, x0-width/2+width, y0-width/2+width, col)
		}
		if x0 == x1 && y0 == y1 {
			return
		}
		if e2 := 2 * e; e2 >= dy {
			e += dy
			x0 += sx
		} else {
			e += dx
			y0 += sy
		}
	}
}

// text writes s with its top-left corner at (x, y).
func (c *canvas) text(x, y int, s string, col color.Color) {
	d := font.Drawer{Dst: c.img, Src: image.NewUniform(col), Face: face,
		Dot: fixed.P(x, y+ascent)}
	d.DrawString(s)
}

// textCentered writes s centred on x, top at y.
func (c *canvas) textCentered(x, y int, s string, col color.Color) {
	c.text(x-textWidth(s)/2, y, s, col)
}

// textRight writes s ending at x, top at y.
func (c *canvas) textRight(x, y int, s string, col color.Color) {
	c.text(x-textWidth(s), y, s, col)
}

// textUp writes s turned a quarter left (read from bottom to top), its
// box's top-left corner at (x, y): textWidth(s) high and lineH wide.
func (c *canvas) textUp(x, y int, s string, col color.Color) {
	w := textWidth(s)
	tmp := image.NewAlpha(image.Rect(0, 0, w, lineH))
	d := font.Drawer{Dst: tmp, Src: image.Opaque, Face: face, Dot: fixed.P(0, ascent)}
	d.DrawString(s)
	for ty := range lineH {
		for tx := range w {
			if tmp.AlphaAt(tx, ty).A > 127 {
				c.img.Set(x+ty, y+w-1-tx, col)
			}
		}
	}
}

// textWidth is the width of s in pixels.
func textWidth(s string) int {
	return len([]rune(s)) * charW
}

// clip shortens s to at most n characters, marking a cut with "..".
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n || n < 3 {
		return s
	}
	return string(r[:n-2]) + ".."
}

// Save writes img as a PNG file at path.
func Save(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("plot: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("plot: writing %s: %w", path, err)
	}
	return nil
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}
