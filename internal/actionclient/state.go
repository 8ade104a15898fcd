package actionclient

import (
	"errors"
	"sync"
	"time"
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
