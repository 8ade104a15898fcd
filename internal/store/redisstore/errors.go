package redisstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/parley-chat/parley/internal/store"
)

// ErrBadRecord is wrapped by the error for a key that holds neither a list
// of events nor a Rasa tracker.
var ErrBadRecord = errors.New("redisstore: key holds no conversation")

// wrap adds what was being done to err, and store.ErrUnavailable when the
// server could not be reached.
func wrap(doing string, err error) error {
	if unavailable(err) {
		return fmt.Errorf("%w: %s: %w", store.ErrUnavailable, doing, err)
	}
	return fmt.Errorf("store: %s: %w", doing, err)
}

// unavailable reports whether err means the server is down or the
// connection broke, rather than an error reply from Redis.
func unavailable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, redis.ErrClosed) {
		return true
	}
	var reply redis.Error
	if errors.As(err, &reply) {
		return isLoading(reply.Error())
	}
	return true
}

// isLoading reports the reply of a Redis that is still reading its data.
func isLoading(msg string) bool {
	return len(msg) >= 7 && msg[:7] == "LOADING"
}
