// Package agent runs one conversation turn: lock, load the tracker, start a
// session if needed, parse, extract slots, predict and run actions until
// action_listen, save, reply.
package agent

import (
	"context"
	"log/slog"
	"time"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/policy"
	"github.com/parley-chat/parley/internal/store"
)

// Options builds an Agent.
type Options struct {
	Domain   *domain.Domain
	NLU      *pipeline.Model
	Policies *policy.Ensemble
	Store    store.TrackerStore
	// Clock gives the time; nil means time.Now.
	Clock  func() time.Time
	Logger *slog.Logger
	// MaxPredictions caps the actions predicted per user message (default 10).
	MaxPredictions int
}

// Agent answers messages with one trained model. It is safe for concurrent
// use; messages of one conversation are handled one at a time.
type Agent struct {
	opts Options
}

// New returns an agent.
func New(opts Options) *Agent { return &Agent{opts: opts} }

// UserMessage is one message from a user on a channel.
type UserMessage struct {
	ConversationID string
	Text           string
	InputChannel   string
	MessageID      string
	Metadata       map[string]any
}

// HandleMessage runs one turn and returns the bot events it produced, in
// order; the channel turns them into its messages.
func (a *Agent) HandleMessage(ctx context.Context, msg UserMessage) ([]event.Event, error) {
	return nil, nil
}
