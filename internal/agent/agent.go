// Package agent runs one conversation turn: lock, load the tracker, start a
// session if needed, parse, extract slots, predict and run actions until
// action_listen, save, reply.
package agent

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/duckling"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/policy"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/tracker"
)

// DefaultMaxPredictions is how many actions one user message may trigger.
const DefaultMaxPredictions = 10

// Parser understands a user message; *pipeline.Model is the usual one.
type Parser interface {
	Parse(text string) nlu.Parse
}

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
	// Parser, when set, is used instead of NLU (tests, an external NLU).
	Parser Parser
	// Runner runs custom actions (the action server client); nil means
	// custom actions log a warning and produce no events.
	Runner action.Runner
	// NLG renders responses with an external service (the nlg endpoint);
	// nil renders them from the domain.
	NLG action.NLG
	// Lock serialises the turns of one conversation (the lock_store of
	// endpoints.yml); nil means a lock table inside this agent.
	Lock ConversationLocker
	// Seed seeds the choice among response variations. The choice also
	// depends on the conversation and its length, so a replayed
	// conversation gets the same replies.
	Seed uint64
	// AfterFunc sets the timers of reminders on the same clock as Clock;
	// nil means time.AfterFunc.
	AfterFunc AfterFunc
	// ReminderReply receives the bot's messages when a reminder fires; nil
	// means they are only stored in the conversation.
	ReminderReply ReplyFunc
}

// Agent answers messages with one trained model. It is safe for concurrent
// use; messages of one conversation are handled one at a time.
type Agent struct {
	opts  Options
	log   *slog.Logger
	locks conversationLocks
	rem   reminders
}

// New returns an agent.
func New(opts Options) *Agent {
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.AfterFunc == nil {
		opts.AfterFunc = realAfterFunc
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxPredictions <= 0 {
		opts.MaxPredictions = DefaultMaxPredictions
	}
	if opts.Domain == nil {
		opts.Domain = &domain.Domain{}
	}
	if opts.Store == nil {
		opts.Store = store.NewMemory()
	}
	var locks conversationLocks = newLockTable()
	if opts.Lock != nil {
		locks = storeLocks{opts.Lock}
	}
	return &Agent{opts: opts, log: opts.Logger, locks: locks,
		rem: reminders{jobs: map[reminderKey]*job{}}}
}

// UserMessage is one message from a user on a channel.
type UserMessage struct {
	ConversationID string
	Text           string
	InputChannel   string
	MessageID      string
	Metadata       map[string]any
}

// HandleMessage runs one turn and returns the bot events it produced, in
// order; the channel turns them into its messages. Reminders the turn's
// actions set or cancel are scheduled or cancelled once it is saved.
func (a *Agent) HandleMessage(ctx context.Context, msg UserMessage) ([]event.Event, error) {
	if msg.ConversationID == "" {
		return nil, ErrNoConversation
	}
	unlock, err := a.locks.lock(ctx, msg.ConversationID)
	if err != nil {
		return nil, err
	}
	defer unlock()
	t, err := a.load(ctx, msg.ConversationID)
	if err != nil {
		return nil, err
	}
	before := len(t.Events)
	tn := a.newTurn(t, msg.InputChannel)
	if err := tn.handle(ctx, msg); err != nil {
		return nil, err
	}
	added := t.Events[before:]
	if err := a.opts.Store.Append(ctx, msg.ConversationID, added); err != nil {
		return nil, fmt.Errorf("conversation %q: save: %w", msg.ConversationID, err)
	}
	a.logTurn(ctx, t, added)
	a.ScheduleReminders(msg.ConversationID, msg.InputChannel, added)
	return botEvents(added), nil
}

func botEvents(events []event.Event) []event.Event {
	var out []event.Event
	for _, e := range events {
		if e.Type == event.Bot {
			out = append(out, e)
		}
	}
	return out
}

// load reads a conversation's tracker from the store.
func (a *Agent) load(ctx context.Context, id string) (*tracker.Tracker, error) {
	events, err := a.opts.Store.Load(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("conversation %q: load: %w", id, err)
	}
	return tracker.FromEvents(id, a.opts.Domain, events), nil
}

// Tracker returns the current state of a conversation (a new, empty
// tracker for an unknown id).
func (a *Agent) Tracker(ctx context.Context, id string) (*tracker.Tracker, error) {
	return a.load(ctx, id)
}

// Domain returns the agent's domain.
func (a *Agent) Domain() *domain.Domain { return a.opts.Domain }

// Parse understands a message as the turn would, without touching any
// conversation.
func (a *Agent) Parse(text string) nlu.Parse {
	switch {
	case a.opts.Parser != nil:
		return a.opts.Parser.Parse(text)
	case a.opts.NLU != nil:
		return a.opts.NLU.Parse(text)
	}
	return ParsePayload(text)
}

// MetadataTimezone is the key of a user message's metadata that names the
// conversation's time zone (an IANA name such as "Europe/Berlin"): relative
// times in the message ("tomorrow at 9") resolve in it, else in the zone
// DucklingEntityExtractor is configured with, else in UTC.
const MetadataTimezone = "timezone"

// parseMessage understands a user message of a turn: as Parse, with the
// time it arrived (the agent's clock) and the zone its metadata names, so
// that relative times resolve as the user meant them.
func (a *Agent) parseMessage(ctx context.Context, msg UserMessage) nlu.Parse {
	if a.opts.Parser != nil || a.opts.NLU == nil {
		return a.Parse(msg.Text)
	}
	return a.opts.NLU.ParseContext(ctx, msg.Text, pipeline.ParseOptions{
		Time: a.opts.Clock(), Zone: a.messageZone(msg)})
}

// messageZone returns the zone named by the message's metadata, or nil.
func (a *Agent) messageZone(msg UserMessage) *time.Location {
	name, _ := msg.Metadata[MetadataTimezone].(string)
	if name == "" {
		return nil
	}
	loc, err := duckling.LoadZone(name)
	if err != nil {
		a.log.Warn("the message's metadata names an unknown time zone; it is ignored",
			"conversation", msg.ConversationID, "timezone", name)
		return nil
	}
	return loc
}

// rng returns the response-variation generator of one turn.
func (a *Agent) rng(id string, n int) *rand.Rand {
	h := fnv.New64a()
	_, _ = h.Write([]byte(id))
	return rand.New(rand.NewPCG(a.opts.Seed, h.Sum64()^uint64(n)))
}
