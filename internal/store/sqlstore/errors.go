package sqlstore

import (
	"context"
	"errors"
	"fmt"
)

// ErrUnavailable is wrapped by the errors of a store whose database or
// server cannot be reached (connection refused or lost, server shutting
// down). The request that met it can be answered with 503; the store
// reconnects by itself when the server is back. store.ErrUnavailable is
// this same error.
var ErrUnavailable = errors.New("store: database unavailable")

// Wrap adds what was being done to err, and ErrUnavailable when down says
// that the server could not be reached. A cancelled or timed-out context is
// never "down". A nil err stays nil.
func Wrap(doing string, err error, down func(error) bool) error {
	if err == nil {
		return nil
	}
	if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) &&
		down(err) {
		return fmt.Errorf("%w: %s: %w", ErrUnavailable, doing, err)
	}
	return fmt.Errorf("store: %s: %w", doing, err)
}
