// Package broker publishes conversation events to an event broker
// (RabbitMQ as Rasa's `pika` broker, or Kafka) for analytics, without ever
// blocking or failing a turn.
//
// A Queue sits between the turns and the broker: Publish only encodes the
// event and puts it in a bounded in-memory queue (10,000 messages by
// default; when full, the oldest is dropped and counted). One goroutine
// sends the queue's head to the broker in batches and removes a batch only
// once the broker confirmed it, so delivery is at least once while a
// message is queued. When the broker cannot be reached, the failure is
// logged once, counted, and retried with growing pauses; the log says so
// again when it is back. What is still queued when the process ends
// without Close draining it is lost.
//
// Each message is the event's JSON with "sender_id" put first, as Rasa
// publishes it.
package broker

import (
	"context"

	"github.com/parley-chat/parley/internal/event"
)

// Publisher takes conversation events for an event broker.
type Publisher interface {
	// Publish queues the events of conversation senderID. It never blocks
	// on the broker and never fails; what it cannot deliver is counted in
	// Stats.
	Publish(senderID string, events ...event.Event)
	// Stats returns the counters for metrics.
	Stats() Stats
	// Close stops taking events and tries to deliver the queue until ctx
	// ends.
	Close(ctx context.Context) error
}

// Message is one event as the broker receives it.
type Message struct {
	SenderID string
	Body     []byte
}

// Sink sends messages to a broker; Queue calls it from one goroutine.
type Sink interface {
	// Send delivers msgs in order, returning only when the broker has
	// confirmed them all, or an error (after which some may have been
	// delivered; they are sent again).
	Send(ctx context.Context, msgs []Message) error
	// Close closes the connection.
	Close() error
}
