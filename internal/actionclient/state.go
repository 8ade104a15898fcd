package actionclient

import (
	"errors"
	"sync"
	"time"

	"github.com/parley-chat/parley/internal/action"
)

// State is what the client knows about the action server's health from its
// latest calls over HTTP, for a status page. Calls run in process do not
// change it.
type State struct {
	// Up is false after a call that could not reach the server, timed out
	// or got a 5xx answer, until a later call gets an answer again. A
	// client that has made no call yet is up.
	Up bool
	// LastError is the latest such failure, or "".
	LastError string
	// Since is when Up last changed (zero before any change).
	Since time.Time
}

// health guards the State of a client.
type health struct {
	mu    sync.Mutex
	state State
}

// record updates the state after an HTTP call ended with err.
func (h *health) record(err error, now time.Time) {
	down := errors.Is(err, ErrUnreachable) || errors.Is(err, ErrTimeout) ||
		errors.Is(err, ErrServer)
	h.mu.Lock()
	defer h.mu.Unlock()
	if down {
		h.state.LastError = err.Error()
	}
	if h.state.Up == down {
		h.state.Up = !down
		h.state.Since = now
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
// is not a *Runner (for example nil).
func StatusOf(r action.Runner) *Status {
	run, ok := r.(*Runner)
	if !ok || run == nil {
		return nil
	}
	c := run.client
	st := c.State()
	out := &Status{URL: c.URL(), Up: st.Up, LastError: st.LastError,
		InProcess: c.LocalActions()}
	if !st.Since.IsZero() {
		out.Since = &st.Since
	}
	if out.InProcess == nil {
		out.InProcess = []string{}
	}
	return out
}
