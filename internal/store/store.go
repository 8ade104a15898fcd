package store

import (
	"context"

	"github.com/parley-chat/parley/internal/event"
)

// TrackerStore keeps each conversation's event log. Implementations are safe
// for concurrent use; callers serialise turns of one conversation with a lock.
type TrackerStore interface {
	// Load returns every stored event of the conversation, oldest first,
	// or an empty, non-nil slice for an unknown conversation.
	Load(ctx context.Context, conversationID string) ([]event.Event, error)
	// Append adds events to the end of the conversation's log. Appending
	// no events changes nothing: an unknown conversation stays unknown.
	Append(ctx context.Context, conversationID string, events []event.Event) error
	// Replace swaps the whole log of the conversation for events; with no
	// events the conversation is gone, from Conversations too.
	Replace(ctx context.Context, conversationID string, events []event.Event) error
	// Conversations lists the ids of the conversations that have events,
	// most recently active first; an empty store gives an empty, non-nil
	// slice.
	Conversations(ctx context.Context) ([]string, error)
	// Close releases the store's resources.
	Close() error
}
