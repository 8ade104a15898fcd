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
	// checked is when a call or probe last told something; reachable is
	// false when the last failure was that nothing answered (refused,
	// unknown host), which a probe can see end.
	checked   time.Time
	reachable bool
}

// health guards the State of a client.
type health struct {
	mu      sync.Mutex
	state   State
	probing bool
}

// record updates the state after an HTTP call or probe ended with err.
func (h *health) record(err error, now time.Time) {
	down := errors.Is(err, ErrUnreachable) || errors.Is(err, ErrTimeout) ||
		errors.Is(err, ErrServer)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.state.Known, h.state.checked = true, now
	h.state.reachable = !errors.Is(err, ErrUnreachable)
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

// Probes are made when a status is asked for and nothing was learnt for a
// while: reprobeUp after the latest answer (a server that died since), and
// reprobeDown after the latest failure to reach it (one that came back).
// A server that answered a call with 5xx or timed out is not probed: its
// /health may answer while its actions fail, so it stays down until a call
// succeeds.
const (
	reprobeUp   = 30 * time.Second
	reprobeDown = 10 * time.Second
)

// refresh starts a probe of the action server's /health in the background
// when one is due (see reprobeUp), so that a status page tells the truth
// before the first custom action runs, after the server died and after it
// came back, without ever waiting for it: the answer shows from the next
// status on.
func (c *Client) refresh() {
	if c.ep.url == "" {
		return
	}
	now := time.Now()
	c.health.mu.Lock()
	st := c.health.state
	age := now.Sub(st.checked)
	due := !st.Known || st.Up && age >= reprobeUp || !st.Up && !st.reachable && age >= reprobeDown
	if !due || c.health.probing {
		c.health.mu.Unlock()
		return
	}
	c.health.probing = true
	c.health.mu.Unlock()
	go func() {
		err := c.ep.probe(context.Background())
		c.health.record(err, time.Now())
		c.health.mu.Lock()
		c.health.probing = false
		c.health.mu.Unlock()
	}()
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
	// State is "up", "down", "unknown" (nothing learnt yet: the first
	// probe is under way) or "none" (no action endpoint).
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
// is not a *Runner (for example nil). When a probe of the action server's
// /health is due it starts one and answers at once with what is known
// ("unknown" before anything is).
func StatusOf(r action.Runner) *Status {
	run, ok := r.(*Runner)
	if !ok || run == nil {
		return nil
	}
	c := run.client
	c.refresh()
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
