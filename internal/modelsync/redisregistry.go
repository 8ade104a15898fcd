package modelsync

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisRegistry is a Registry in Redis: one key per replica that expires
// LiveWithin after its latest heartbeat, and a set naming them.
type RedisRegistry struct {
	client redis.UniversalClient
	prefix string
}

var _ Registry = (*RedisRegistry)(nil)

// NewRedisRegistry returns a registry whose keys start with
// "parley:replicas:" and prefix (the tracker store's key prefix, so that
// deployments sharing one Redis stay apart). The caller closes client.
func NewRedisRegistry(client redis.UniversalClient, prefix string) *RedisRegistry {
	// The tracker's prefix ends with ":" already ("<key_prefix>:tracker:").
	return &RedisRegistry{client: client,
		prefix: "parley:replicas:" + strings.TrimSuffix(prefix, ":")}
}

// Kind implements Registry.
func (r *RedisRegistry) Kind() string { return "redis" }

func (r *RedisRegistry) key(id string) string { return r.prefix + ":" + id }

// Beat implements Registry.
func (r *RedisRegistry) Beat(ctx context.Context, rep Replica) error {
	rep.SeenSecondsAgo, rep.Self = 0, false
	data, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	_, err = r.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, r.key(rep.ID), data, LiveWithin)
		p.SAdd(ctx, r.prefix, rep.ID)
		return nil
	})
	return err
}

// Live implements Registry. The age of a heartbeat comes from its key's
// remaining lifetime, so Redis's clock is the only one used; replicas
// whose key expired are dropped from the set.
func (r *RedisRegistry) Live(ctx context.Context, within time.Duration) ([]Replica, error) {
	ids, err := r.client.SMembers(ctx, r.prefix).Result()
	if err != nil {
		return nil, err
	}
	var out []Replica
	for _, id := range sortedCopy(ids) {
		rep, ok, err := r.one(ctx, id)
		if err != nil {
			return nil, err
		}
		if !ok {
			r.client.SRem(ctx, r.prefix, id)
			continue
		}
		if rep.SeenSecondsAgo <= within.Seconds() {
			out = append(out, rep)
		}
	}
	return out, nil
}

// one reads a replica's key and its age; ok is false when it expired.
func (r *RedisRegistry) one(ctx context.Context, id string) (Replica, bool, error) {
	var rep Replica
	p := r.client.Pipeline()
	get := p.Get(ctx, r.key(id))
	ttl := p.PTTL(ctx, r.key(id))
	_, err := p.Exec(ctx)
	if errors.Is(err, redis.Nil) || (err == nil && ttl.Val() < 0) {
		return rep, false, nil
	}
	if err != nil {
		return rep, false, err
	}
	if err := json.Unmarshal([]byte(get.Val()), &rep); err != nil {
		return rep, false, nil // not ours: treat as gone
	}
	rep.SeenSecondsAgo = (LiveWithin - ttl.Val()).Seconds()
	return rep, true, nil
}

// Leave implements Registry.
func (r *RedisRegistry) Leave(ctx context.Context, id string) error {
	_, err := r.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, r.key(id))
		p.SRem(ctx, r.prefix, id)
		return nil
	})
	return err
}

// sortedCopy returns ids sorted.
func sortedCopy(ids []string) []string {
	out := append([]string(nil), ids...)
	slices.Sort(out)
	return out
}
