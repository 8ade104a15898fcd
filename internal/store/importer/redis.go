package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/parley-chat/parley/internal/store/redisstore"
)

// Redis reads the conversations of Rasa's Redis tracker store: a JSON
// record per key under a prefix (Parley's own lists are read too).
type Redis struct {
	client *redis.Client
	prefix string
}

var _ Source = (*Redis)(nil)

// OpenRedis checks that Redis answers and returns the source of the keys
// under prefix (Rasa's default is "tracker:"). It closes client on Close,
// or at once when Redis does not answer.
func OpenRedis(ctx context.Context, client *redis.Client, prefix string) (*Redis, error) {
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("importer: connecting to Redis at %s: %w", client.Options().Addr,
			err)
	}
	return &Redis{client: client, prefix: prefix}, nil
}

// Conversations implements Source: the ids of the keys under the prefix,
// ordered by the timestamp of their last event.
func (r *Redis) Conversations(ctx context.Context) ([]string, error) {
	type conv struct {
		id   string
		last float64
	}
	var convs []conv
	iter := r.client.Scan(ctx, 0, escapeGlob(r.prefix)+"*", 500).Iterator()
	for iter.Next(ctx) {
		id := strings.TrimPrefix(iter.Val(), r.prefix)
		raws, err := r.Events(ctx, id)
		if err != nil || len(raws) == 0 {
			continue // not a conversation: another kind of key under the prefix
		}
		var ts struct {
			Timestamp float64 `json:"timestamp"`
		}
		json.Unmarshal(raws[len(raws)-1], &ts)
		convs = append(convs, conv{id, ts.Timestamp})
	}
	if err := iter.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(convs, func(i, j int) bool { return convs[i].last < convs[j].last })
	ids := make([]string, len(convs))
	for i, c := range convs {
		ids[i] = c.id
	}
	return ids, nil
}

// Events implements Source.
func (r *Redis) Events(ctx context.Context, id string) ([]json.RawMessage, error) {
	key := r.prefix + id
	kind, err := r.client.Type(ctx, key).Result()
	if err != nil {
		return nil, err
	}
	switch kind {
	case "string":
		value, err := r.client.Get(ctx, key).Bytes()
		if err != nil {
			return nil, err
		}
		return redisstore.ParseRasaRecord(value)
	case "list":
		items, err := r.client.LRange(ctx, key, 0, -1).Result()
		if err != nil {
			return nil, err
		}
		out := make([]json.RawMessage, len(items))
		for i, item := range items {
			out[i] = json.RawMessage(item)
		}
		return out, nil
	}
	return nil, nil
}

// Close implements Source.
func (r *Redis) Close() error { return r.client.Close() }

// escapeGlob escapes the characters that SCAN's MATCH treats specially.
func escapeGlob(s string) string {
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune(`*?[]\`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}
