package storeconfig

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/parley-chat/parley/internal/lock"
	"github.com/parley-chat/parley/internal/project"
)

// Kinds of lock store, as Stores.LockKind reports them.
const (
	LockInProcess = "in_memory"
	LockRedis     = "redis"
)

// lifetimeVar is the environment variable with the ticket lifetime in
// seconds, as Rasa reads it.
const lifetimeVar = "TICKET_LOCK_LIFETIME"

// OpenLockStore builds the lock store of a lock_store section found at
// pos, and returns its kind. An empty section gives the in-process store.
func OpenLockStore(ctx context.Context, m map[string]any, pos project.Pos,
	opts Options) (lock.Store, string, error) {
	opts = opts.withDefaults()
	if len(m) == 0 {
		return lock.NewInProcess(), LockInProcess, nil
	}
	s := newSection("lock_store", pos, m)
	typ, err := s.str("type", "in_memory")
	if err != nil {
		return nil, "", err
	}
	switch strings.ToLower(typ) {
	case "in_memory", "inmemory", "memory":
		warnUnknown(opts.Logger, s)
		return lock.NewInProcess(), LockInProcess, nil
	case "redis":
		l, err := openRedisLock(ctx, s, opts)
		return l, LockRedis, err
	}
	return nil, "", fmt.Errorf("%w: %s: type %q: use in_memory or redis", ErrUnknownType,
		s.where(), typ)
}

// openRedisLock opens a `type: redis` lock store.
func openRedisLock(ctx context.Context, s *section, opts Options) (lock.Store, error) {
	ro, err := redisOptions(s, opts.BaseDir)
	if err != nil {
		return nil, err
	}
	prefix, err := redisPrefix(s, "lock")
	if err != nil {
		return nil, err
	}
	lifetime, err := ticketLifetime(opts.LookupEnv)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.where(), err)
	}
	warnUnknown(opts.Logger, s)
	client := redis.NewClient(ro)
	l, err := lock.NewRedis(ctx, lock.RedisConfig{Client: client, KeyPrefix: prefix,
		Lifetime: lifetime, Logger: opts.Logger})
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("%s: %s: %w", s.where(), redisWhere(ro), err)
	}
	return l, nil
}

// ticketLifetime reads TICKET_LOCK_LIFETIME, or the default.
func ticketLifetime(env func(string) (string, bool)) (time.Duration, error) {
	raw, ok := env(lifetimeVar)
	if !ok || raw == "" {
		return lock.DefaultLifetime, nil
	}
	secs, err := strconv.ParseFloat(raw, 64)
	if err != nil || secs <= 0 {
		return 0, fmt.Errorf("%w: environment variable %s=%q must be a positive number "+
			"of seconds", ErrBadSetting, lifetimeVar, raw)
	}
	return time.Duration(secs * float64(time.Second)), nil
}
