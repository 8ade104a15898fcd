package lock

import "errors"

// Errors of the lock stores; test them with errors.Is.
var (
	// ErrUnavailable is wrapped by errors of a lock store whose server
	// cannot be reached.
	ErrUnavailable = errors.New("lock: lock store unavailable")
	// ErrTicketExpired is returned when a waiter's ticket expired before
	// its turn, which happens only when its process stalled for longer
	// than the ticket lifetime.
	ErrTicketExpired = errors.New("lock: ticket expired while waiting")
	// ErrClosed is returned by a lock store used after Close.
	ErrClosed = errors.New("lock: closed")
)
