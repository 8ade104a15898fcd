package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/store"
)

// DefaultKeyPrefix is the prefix of conversation keys when none is set,
// the same as Rasa's.
const DefaultKeyPrefix = "tracker:"

// Config says where in Redis the conversations live.
type Config struct {
	// Client is the connection to Redis; the store closes it on Close.
	Client redis.UniversalClient
	// KeyPrefix comes before each conversation id; DefaultKeyPrefix when
	// empty.
	KeyPrefix string
	// RecordExp, when positive, is how long a conversation is kept after
	// its latest write (Rasa's record_exp).
	RecordExp time.Duration
}

// Store is a TrackerStore in Redis.
type Store struct {
	client    redis.UniversalClient
	prefix    string
	ranking   string // sorted set of conversation ids by latest write
	sequence  string // counter that orders writes
	recordExp time.Duration
	closed    atomic.Bool
}

var _ store.TrackerStore = (*Store)(nil)

// Open checks that Redis answers and returns the store.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Client == nil {
		return nil, errors.New("redisstore: no Redis client given")
	}
	prefix := cfg.KeyPrefix
	if prefix == "" {
		prefix = DefaultKeyPrefix
	}
	if err := cfg.Client.Ping(ctx).Err(); err != nil {
		return nil, wrap("connecting to Redis", err)
	}
	return &Store{client: cfg.Client, prefix: prefix,
		ranking:  "parley:conversations:" + prefix,
		sequence: "parley:sequence:" + prefix, recordExp: cfg.RecordExp}, nil
}

// Key returns the Redis key of conversation id.
func (s *Store) Key(id string) string { return s.prefix + id }

// Load implements store.TrackerStore.
func (s *Store) Load(ctx context.Context, id string) ([]event.Event, error) {
	if s.closed.Load() {
		return nil, store.ErrClosed
	}
	doing := fmt.Sprintf("loading conversation %q", id)
	raws, err := s.client.LRange(ctx, s.Key(id), 0, -1).Result()
	if isWrongType(err) {
		return s.loadRasa(ctx, id)
	}
	if err != nil {
		return nil, wrap(doing, err)
	}
	events := make([]event.Event, 0, len(raws))
	for _, raw := range raws {
		var ev event.Event
		err := json.Unmarshal([]byte(raw), &ev)
		if errors.Is(err, event.ErrUnknownType) {
			continue // kept from a Rasa record; Rasa drops these too
		}
		if err != nil {
			return nil, fmt.Errorf("store: conversation %q has an unreadable event: %w", id, err)
		}
		events = append(events, ev)
	}
	return events, nil
}

// loadRasa reads a conversation kept as Rasa keeps it.
func (s *Store) loadRasa(ctx context.Context, id string) ([]event.Event, error) {
	raws, err := s.rasaEvents(ctx, s.client, id)
	if err != nil {
		return nil, err
	}
	events, _, err := event.DecodeList(joinRaw(raws))
	if err != nil {
		return nil, fmt.Errorf("store: conversation %q: %w", id, err)
	}
	return events, nil
}

// Append implements store.TrackerStore.
func (s *Store) Append(ctx context.Context, id string, events []event.Event) error {
	if len(events) == 0 {
		return s.check()
	}
	return s.write(ctx, id, events, "append")
}

// Replace implements store.TrackerStore.
func (s *Store) Replace(ctx context.Context, id string, events []event.Event) error {
	return s.write(ctx, id, events, "replace")
}

// write runs writeScript, converting a Rasa record to a list first when
// the script finds one.
func (s *Store) write(ctx context.Context, id string, events []event.Event, mode string) error {
	if err := s.check(); err != nil {
		return err
	}
	args := []any{mode, s.recordExp.Milliseconds(), id}
	for i := range events {
		data, err := json.Marshal(&events[i])
		if err != nil {
			return fmt.Errorf("store: encoding a %s event: %w", events[i].Type, err)
		}
		args = append(args, data)
	}
	keys := []string{s.Key(id), s.ranking, s.sequence}
	doing := fmt.Sprintf("writing to conversation %q", id)
	err := writeScript.Run(ctx, s.client, keys, args...).Err()
	if err != nil && strings.HasPrefix(err.Error(), "NOTLIST") {
		if err := s.convertRasa(ctx, id); err != nil {
			return err
		}
		err = writeScript.Run(ctx, s.client, keys, args...).Err()
	}
	if err != nil {
		return wrap(doing, err)
	}
	return nil
}

// Conversations implements store.TrackerStore. Conversations whose key has
// expired or was deleted are dropped from the ranking on the way.
func (s *Store) Conversations(ctx context.Context) ([]string, error) {
	if s.closed.Load() {
		return nil, store.ErrClosed
	}
	ids, err := s.client.ZRevRange(ctx, s.ranking, 0, -1).Result()
	if err != nil {
		return nil, wrap("listing conversations", err)
	}
	pipe := s.client.Pipeline()
	exists := make([]*redis.IntCmd, len(ids))
	for i, id := range ids {
		exists[i] = pipe.Exists(ctx, s.Key(id))
	}
	if _, err := pipe.Exec(ctx); err != nil && len(ids) > 0 {
		return nil, wrap("listing conversations", err)
	}
	live := make([]string, 0, len(ids))
	for i, id := range ids {
		if exists[i].Val() == 1 {
			live = append(live, id)
		} else {
			s.client.ZRem(ctx, s.ranking, id)
		}
	}
	return live, nil
}

// Close implements store.TrackerStore; it closes the Redis client.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	return s.client.Close()
}

// check returns store.ErrClosed after Close.
func (s *Store) check() error {
	if s.closed.Load() {
		return store.ErrClosed
	}
	return nil
}

// isWrongType reports Redis's reply for a command on a key of another type.
func isWrongType(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "WRONGTYPE")
}
