// Package lock makes the messages of one conversation be handled one at a
// time, in the order they arrived: a lock store hands out one lock per
// conversation, and waiters get it in the order they asked.
//
// InProcess is the default and serves one Parley process. Redis serves
// several replicas sharing a Redis server: it issues numbered tickets per
// conversation, as Rasa's ticket lock does, and the lowest live ticket
// holds the lock. Every ticket has a lifetime (60 s by default) that its
// process renews while it waits or holds the lock, so a crashed process
// blocks a conversation for at most one lifetime.
package lock

import "context"

// Store hands out per-conversation locks (Rasa's lock store).
type Store interface {
	// Lock waits until the caller holds the conversation's lock, or ctx
	// ends. Callers get the lock in the order their calls arrived. The
	// returned unlock releases it; calling it again does nothing.
	Lock(ctx context.Context, conversationID string) (unlock func(), err error)
	// Close releases the store's resources. Locks still held are dropped.
	Close() error
}
