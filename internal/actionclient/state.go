package actionclient

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/parley-chat/parley/internal/action"
)

// State is what the client knows about the action server's health from its
// latest calls over HTTP and probes of its /health, for a status page.
// Calls run in process do not change it.
type State struct {
	// Known is false until a call or a probe has reached the server or
	// failed to.
	Known bool
	// Up is false after a call or probe that could not reach the server,
	// timed out or got a 5xx answer, until a later one gets an answer
	// again. Before anything is known it is true.
	Up bool
	// LastError is the latest such failure, or "".
	LastError string
	// Since is when Up last changed (zero before any change).
	Since time.Time
	// probed is when the last probe was made.
	probed time.Time
}

// health guards the State of a client.
type health struct {
	mu    sync.Mutex
	state State
}

// record updates the state after an HTTP call or probe ended with err.
func (h *health) record(err error, now time.Time) {
	down := errors.Is(err, ErrUnreachable) || errors.Is(err, ErrTimeout) ||
		errors.Is(err, ErrServer)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.state.Known = true
	if down {
		h.state.LastError = err.Error()
	}
	if h.state.Up == down {
		h.state.Up = !down
		h.state.Since = now
	}
}

// probeTimeout bounds a probe of the action server's /health.
const probeTimeout = time.Second

// reprobeAfter is how long a known-down server is left alone before the
// next status request probes it again.
const reprobeAfter = 10 * time.Second

// refresh probes the action server's /health when nothing is known about
// it yet, or when it was down and has not been probed for a while, so that
// a status page tells the truth before the first custom action runs and
// after the server came back. A probe counts as a call: any answer means
// the server is up.
func (c *Client) refresh(ctx context.Context) {
	if c.ep.url == "" {
		return
	}
	now := time.Now()
	c.health.mu.Lock()
	st := c.health.state
	due := !st.Known || (!st.Up && now.Sub(st.probed) >= reprobeAfter)
	if due {
		c.health.state.probed = now
	}
	c.health.mu.Unlock()
	if !due {
		return
	}
	if err := c.ep.probe(ctx); ctx.Err() == nil { // a caller that gave up says nothing
		c.health.record(err, time.Now())
	}
}

// State returns what the latest calls over HTTP said about the action
// server.
func (c *Client) State() State {
	c.health.mu.Lock()
	defer c.health.mu.Unlock()
	return c.health.state
}

// Status is what /status shows about custom actions.
type Status struct {
	// URL is the action endpoint, or "" when none is configured.
	URL string `json:"url"`
	// State is "up", "down", "unknown" (the server could not be asked) or
	// "none" (no action endpoint).
	State string `json:"state"`
	// Up is State.Up.
	Up bool `json:"up"`
	// LastError is State.LastError.
	LastError string `json:"last_error,omitempty"`
	// Since is when Up last changed, when it did.
	Since *time.Time `json:"since,omitempty"`
	// InProcess lists the actions this binary runs itself.
	InProcess []string `json:"in_process_actions"`
}

// StatusOf returns the status of the custom actions r runs, or nil when r
// is not a *Runner (for example nil). When nothing is known about the
// action server yet, or it was down a while ago, it probes its /health
// first (within a second).
func StatusOf(ctx context.Context, r action.Runner) *Status {
	run, ok := r.(*Runner)
	if !ok || run == nil {
		return nil
	}
	c := run.client
	c.refresh(ctx)
	st := c.State()
	out := &Status{URL: c.URL(), Up: st.Up, LastError: st.LastError,
		InProcess: c.LocalActions()}
	switch {
	case out.URL == "":
		out.State = "none"
	case !st.Known:
		out.State = "unknown"
	case st.Up:
		out.State = "up"
	default:
		out.State = "down"
	}
	if !st.Since.IsZero() {
		out.Since = &st.Since
	}
	if out.InProcess == nil {
		out.InProcess = []string{}
	}
	return out
}
