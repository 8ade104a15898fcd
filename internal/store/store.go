package store

import (
	"context"

	"github.com/parley-chat/parley/internal/event"
)

// TrackerStore keeps each conversation's event log. Implementations are safe
// for concurrent use; callers serialise turns of one conversation with a lock.
type TrackerStore interface {
	// Load returns every stored event of the conversation, oldest first, or
	// an empty slice for an unknown conversation.
	Load(ctx context.Context, conversationID string) ([]event.Event, error)
	// Append adds events to the end of the conversation's log.
	Append(ctx context.Context, conversationID string, events []event.Event) error
	// Replace swaps the whole log of the conversation for events.
	Replace(ctx context.Context, conversationID string, events []event.Event) error
	// Conversations lists conversation ids, most recently active first.
	Conversations(ctx context.Context) ([]string, error)
	// Close releases the store's resources.
	Close() error
}
