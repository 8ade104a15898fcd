package agent

import "context"

// ConversationLocker hands out one lock per conversation; lock.Store (the
// in-process and Redis lock stores) is one.
type ConversationLocker interface {
	// Lock waits until the caller holds the conversation's lock, or ctx
	// ends, and returns its release.
	Lock(ctx context.Context, conversationID string) (unlock func(), err error)
}

// conversationLocks is how the agent takes a conversation's lock: its own
// lock table, or a lock store.
type conversationLocks interface {
	lock(ctx context.Context, id string) (func(), error)
}

// storeLocks takes conversation locks from a lock store.
type storeLocks struct{ l ConversationLocker }

func (s storeLocks) lock(ctx context.Context, id string) (func(), error) {
	return s.l.Lock(ctx, id)
}
