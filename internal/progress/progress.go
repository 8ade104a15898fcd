// Package progress shows training progress: a bar per stage with counts and
// elapsed time on a terminal, plain log lines elsewhere (a pipe, a file, CI).
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// logEvery is how often a plain display repeats a line for a long stage.
const logEvery = 10 * time.Second

// Display receives progress updates and shows them. It is safe for
// concurrent use. The zero value is not usable; call New.
type Display struct {
	mu       sync.Mutex
	w        io.Writer
	terminal bool
	now      func() time.Time

	stage   string
	ended   bool
	done    int
	total   int
	started time.Time
	logged  time.Time
	bar     *progressbar.ProgressBar
}

// New returns a display writing to w; it draws bars when w is a terminal.
func New(w io.Writer) *Display {
	return NewWith(w, IsTerminal(w), time.Now)
}

// NewWith returns a display that draws bars or not as terminal says, with
// now as its clock.
func NewWith(w io.Writer, terminal bool, now func() time.Time) *Display {
	return &Display{w: w, terminal: terminal, now: now}
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Update records that stage has done of total steps (total 0: unknown).
// Its signature matches the Progress callbacks of the training packages.
func (d *Display) Update(stage string, done, total int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if stage != d.stage {
		d.endStage()
		d.startStage(stage, total)
	}
	d.done, d.total = done, total
	if d.terminal {
		d.drawBar()
		return
	}
	if total > 0 && done >= total {
		d.endStage()
		return
	}
	if t := d.now(); t.Sub(d.logged) >= logEvery {
		fmt.Fprintf(d.w, "%s: %s (%s)\n", d.stage, d.count(), d.elapsed())
		d.logged = t
	}
}

// Finish closes the current stage.
func (d *Display) Finish() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.endStage()
	d.stage = ""
}

func (d *Display) startStage(stage string, total int) {
	d.stage, d.ended, d.started, d.logged = stage, false, d.now(), d.now()
	if !d.terminal {
		fmt.Fprintf(d.w, "%s: started\n", stage)
		return
	}
	max := total
	if max <= 0 {
		max = -1
	}
	d.bar = progressbar.NewOptions(max,
		progressbar.OptionSetWriter(d.w),
		progressbar.OptionSetDescription(stage),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(50*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(d.w) }),
	)
}

func (d *Display) drawBar() {
	if d.total > 0 && d.bar.GetMax() != d.total {
		d.bar.ChangeMax(d.total)
	}
	d.bar.Set(d.done)
}

// endStage closes the current stage, if any.
func (d *Display) endStage() {
	if d.stage == "" || d.ended {
		return
	}
	d.ended = true
	if d.terminal {
		if d.total > 0 {
			d.bar.Set(d.total)
		}
		if !d.bar.IsFinished() {
			d.bar.Finish()
		}
		d.bar = nil
		return
	}
	fmt.Fprintf(d.w, "%s: done, %s in %s\n", d.stage, d.count(), d.elapsed())
}

func (d *Display) count() string {
	if d.total <= 0 {
		return fmt.Sprintf("%d", d.done)
	}
	return fmt.Sprintf("%d/%d", d.done, d.total)
}

func (d *Display) elapsed() string {
	return d.now().Sub(d.started).Round(time.Millisecond).String()
}
