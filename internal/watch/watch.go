package watch

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"time"
)

// Defaults of Options.
const (
	DefaultInterval = time.Second
	DefaultDebounce = 700 * time.Millisecond
)

// ErrNoCallback is returned by New without Options.OnChange.
var ErrNoCallback = errors.New("watch: OnChange is required")

// Options configure a Watcher.
type Options struct {
	// Paths are the files and folders to watch (see ProjectPaths). A
	// folder is watched with everything under it; a path that does not
	// exist yet is watched for appearing.
	Paths []string
	// Interval is how often the files are looked at (default 1 s).
	Interval time.Duration
	// Debounce is how long the files must stay unchanged after a change
	// before OnChange is called (default 700 ms).
	Debounce time.Duration
	// OnChange gets the changed files, sorted. It runs on the watcher's
	// goroutine: changes made while it runs are reported after it returns,
	// so two retrains never overlap.
	OnChange func(ctx context.Context, changed []string)
	// Logger gets a debug line per change seen; nil discards.
	Logger *slog.Logger
}

// Watcher polls a set of paths and reports debounced changes.
type Watcher struct {
	opts Options
	// tick drives the polls; tests replace it to control time.
	tick <-chan time.Time
}

// New returns a watcher; start it with Run.
func New(opts Options) (*Watcher, error) {
	if opts.OnChange == nil {
		return nil, ErrNoCallback
	}
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Watcher{opts: opts}, nil
}

// Run watches until ctx ends; it returns nil then.
func (w *Watcher) Run(ctx context.Context) error {
	tick := w.tick
	if tick == nil {
		t := time.NewTicker(w.opts.Interval)
		defer t.Stop()
		tick = t.C
	}
	prev := scan(w.opts.Paths)
	pending := map[string]bool{}
	var last time.Time
	for {
		var now time.Time
		select {
		case <-ctx.Done():
			return nil
		case now = <-tick:
		}
		cur := scan(w.opts.Paths)
		if changed := changes(prev, cur); len(changed) > 0 {
			w.opts.Logger.Debug("project files changed", "files", changed)
			for _, p := range changed {
				pending[p] = true
			}
			last = now
		}
		prev = cur
		if len(pending) > 0 && now.Sub(last) >= w.opts.Debounce {
			files := slices.Sorted(maps.Keys(pending))
			clear(pending)
			w.opts.OnChange(ctx, files)
		}
	}
}
