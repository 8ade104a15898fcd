package redisstore_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/redisstore"
	"github.com/parley-chat/parley/internal/store/storetest"
)

// openPrefix opens a store under a fresh key prefix of the test server,
// and a second client for looking at the keys.
func openPrefix(t *testing.T, exp time.Duration) (*redisstore.Store, *redis.Client) {
	t.Helper()
	u := storetest.RedisURL(t)
	opts, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	s, err := redisstore.Open(t.Context(), redisstore.Config{Client: redis.NewClient(opts),
		KeyPrefix: storetest.KeyPrefix(t, u), RecordExp: exp})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	peek := redis.NewClient(opts)
	t.Cleanup(func() { peek.Close() })
	return s, peek
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.TrackerStore {
		s, _ := openPrefix(t, 0)
		return s
	})
}

func TestRecordExp(t *testing.T) {
	s, peek := openPrefix(t, time.Hour)
	if err := s.Append(t.Context(), "c", storetest.Conversation(2, "c")); err != nil {
		t.Fatal(err)
	}
	ttl, err := peek.PTTL(t.Context(), s.Key("c")).Result()
	if err != nil {
		t.Fatal(err)
	}
	if ttl <= 59*time.Minute || ttl > time.Hour {
		t.Fatalf("time to live after a write = %v, want about an hour", ttl)
	}
}

// TestConversationsDropsExpired deletes a key behind the store's back, as
// record_exp does, and expects it gone from the list.
func TestConversationsDropsExpired(t *testing.T) {
	s, peek := openPrefix(t, 0)
	for _, id := range []string{"a", "b", "c"} {
		if err := s.Append(t.Context(), id, storetest.Conversation(1, id)); err != nil {
			t.Fatal(err)
		}
	}
	peek.Del(t.Context(), s.Key("b"))
	got, err := s.Conversations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"c", "a"}; !slices.Equal(got, want) {
		t.Fatalf("Conversations = %q, want %q", got, want)
	}
}

// rasaValue is a conversation as Rasa's Redis tracker store writes it,
// with an event type Parley does not know.
const rasaValue = `{"events": [` +
	`{"event": "action", "timestamp": 1700000000.123456, "name": "action_session_start",` +
	` "policy": null, "confidence": 1.0, "action_text": null, "hide_rule_turn": false},` +
	`{"event": "session_started", "timestamp": 1700000000.2},` +
	`{"event": "some_plugin_event", "timestamp": 1700000000.3},` +
	`{"event": "slot", "timestamp": 1700000000.4, "name": "größe", "value": "42 👍"}` +
	`], "name": "rasa-user"}`

func TestReadsAndConvertsRasaRecord(t *testing.T) {
	s, peek := openPrefix(t, 0)
	ctx := t.Context()
	if err := peek.Set(ctx, s.Key("rasa-user"), rasaValue, 0).Err(); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(ctx, "rasa-user")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[2].Value != "42 👍" {
		t.Fatalf("Load of a Rasa record = %+v, want its 3 known events", got)
	}
	more := storetest.Conversation(2, "more")
	if err := s.Append(ctx, "rasa-user", more); err != nil {
		t.Fatal(err)
	}
	kind, _ := peek.Type(ctx, s.Key("rasa-user")).Result()
	first, _ := peek.LIndex(ctx, s.Key("rasa-user"), 0).Result()
	rasaBytes := `{"event": "action", "timestamp": 1700000000.123456, `
	if kind != "list" || !strings.HasPrefix(first, rasaBytes) {
		t.Fatalf("after a write the key is a %s starting %q, want a list of Rasa's bytes",
			kind, first)
	}
	after, err := s.Load(ctx, "rasa-user")
	if err != nil {
		t.Fatal(err)
	}
	storetest.SameEvents(t, after, append(got, more...))
}

func TestUnreachable(t *testing.T) {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	_, err := redisstore.Open(context.Background(), redisstore.Config{Client: client})
	if !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("Open on a closed port = %v, want ErrUnavailable", err)
	}
}

func TestOutage(t *testing.T) {
	u := storetest.RedisURL(t)
	opts, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	proxy := storetest.NewProxy(t, opts.Addr)
	opts.Addr, opts.MaxRetries = proxy.Addr(), 1
	s, err := redisstore.Open(t.Context(), redisstore.Config{Client: redis.NewClient(opts),
		KeyPrefix: storetest.KeyPrefix(t, u)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckOutage(t, proxy, s)
}
