package lock

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Defaults of RedisConfig.
const (
	DefaultKeyPrefix    = "lock:"
	DefaultLifetime     = 60 * time.Second
	DefaultPollInterval = 100 * time.Millisecond
)

// RedisConfig configures a Redis lock store.
type RedisConfig struct {
	// Client is the connection to Redis; the store closes it on Close.
	Client redis.UniversalClient
	// KeyPrefix comes before the lock keys; DefaultKeyPrefix when empty.
	// Replicas that share locks use the same prefix.
	KeyPrefix string
	// Lifetime is how long a ticket lives without being renewed; its
	// process renews it while it waits or holds the lock.
	Lifetime time.Duration
	// PollInterval is how often a waiter checks its ticket when no release
	// notice arrives.
	PollInterval time.Duration
	// Logger receives warnings; nil discards them.
	Logger *slog.Logger
}

// Redis is a Store whose locks are shared through Redis by all processes
// using the same key prefix.
type Redis struct {
	cfg     RedisConfig
	channel string // release notices
	wake    *wakers
	pubsub  *redis.PubSub
	ctx     context.Context // ends on Close: stops renewals and notices
	stop    context.CancelFunc
	done    sync.WaitGroup
	closing sync.Once
	closed  error
}

var _ Store = (*Redis)(nil)

// NewRedis checks that Redis answers and returns the lock store.
func NewRedis(ctx context.Context, cfg RedisConfig) (*Redis, error) {
	if cfg.Client == nil {
		return nil, errors.New("lock: no Redis client given")
	}
	cfg = withDefaults(cfg)
	if err := cfg.Client.Ping(ctx).Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	r := &Redis{cfg: cfg, channel: "parley:lock-released:" + cfg.KeyPrefix, wake: newWakers()}
	r.pubsub = cfg.Client.Subscribe(ctx, r.channel)
	if _, err := r.pubsub.Receive(ctx); err != nil {
		r.pubsub.Close()
		return nil, fmt.Errorf("%w: subscribing to release notices: %w", ErrUnavailable, err)
	}
	r.ctx, r.stop = context.WithCancel(context.Background())
	r.done.Go(r.listen)
	return r, nil
}

// withDefaults fills in the zero fields of cfg.
func withDefaults(cfg RedisConfig) RedisConfig {
	if cfg.KeyPrefix == "" {
		cfg.KeyPrefix = DefaultKeyPrefix
	}
	if cfg.Lifetime <= 0 {
		cfg.Lifetime = DefaultLifetime
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}

// listen wakes the local waiters of each conversation whose lock was
// released anywhere.
func (r *Redis) listen() {
	ch := r.pubsub.Channel()
	for {
		select {
		case msg, ok := <-ch:
			if !ok {
				return
			}
			r.wake.notify(msg.Payload)
		case <-r.ctx.Done():
			return
		}
	}
}

// keys returns the tickets and counter keys of a conversation.
func (r *Redis) keys(id string) []string {
	return []string{r.cfg.KeyPrefix + "t:" + id, r.cfg.KeyPrefix + "n:" + id}
}

// Lock implements Store.
func (r *Redis) Lock(ctx context.Context, id string) (func(), error) {
	if r.ctx.Err() != nil {
		return nil, ErrClosed
	}
	wake, unregister := r.wake.register(id)
	defer unregister()
	life := r.cfg.Lifetime.Milliseconds()
	n, err := issueScript.Run(ctx, r.cfg.Client, r.keys(id), life).Int64()
	if err != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("%w: issuing a ticket for %q: %w", ErrUnavailable, id, err)
	}
	if err := r.await(ctx, id, n, wake); err != nil {
		r.release(id, n)
		return nil, err
	}
	return r.hold(id, n), nil
}

// await waits until ticket n of conversation id is the lowest live one.
func (r *Redis) await(ctx context.Context, id string, n int64, wake <-chan struct{}) error {
	poll := time.NewTicker(r.cfg.PollInterval)
	defer poll.Stop()
	for {
		state, err := r.check(ctx, id, n)
		if err != nil {
			return err
		}
		if state == 1 {
			return nil
		}
		select {
		case <-wake:
		case <-poll.C:
		case <-ctx.Done():
			return ctx.Err()
		case <-r.ctx.Done():
			return ErrClosed
		}
	}
}

// check renews ticket n and says whether it holds the lock (1) or waits
// (0).
func (r *Redis) check(ctx context.Context, id string, n int64) (int64, error) {
	life := r.cfg.Lifetime.Milliseconds()
	state, err := checkScript.Run(ctx, r.cfg.Client, r.keys(id), n, life).Int64()
	switch {
	case err != nil && ctx.Err() != nil:
		return 0, ctx.Err()
	case err != nil:
		return 0, fmt.Errorf("%w: waiting for conversation %q: %w", ErrUnavailable, id, err)
	case state < 0:
		return 0, fmt.Errorf("%w: ticket %d of conversation %q", ErrTicketExpired, n, id)
	}
	return state, nil
}

// hold renews ticket n while the caller holds the lock, and returns the
// unlock function.
func (r *Redis) hold(id string, n int64) func() {
	ctx, cancel := context.WithCancel(r.ctx)
	r.done.Go(func() {
		tick := time.NewTicker(r.cfg.Lifetime / 3)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if _, err := r.check(ctx, id, n); err != nil && ctx.Err() == nil {
					r.cfg.Logger.Warn("lock: could not renew a held lock", "conversation", id,
						"error", err)
				}
			}
		}
	})
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			r.release(id, n)
		})
	}
}

// release gives ticket n up; when Redis cannot be reached the ticket
// expires after its lifetime instead.
func (r *Redis) release(id string, n int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	keys := r.keys(id)[:1]
	if err := releaseScript.Run(ctx, r.cfg.Client, keys, n, r.channel, id).Err(); err != nil {
		r.cfg.Logger.Warn("lock: could not release a lock; it expires by itself",
			"conversation", id, "lifetime", r.cfg.Lifetime, "error", err)
	}
}

// Close implements Store. Tickets still held are no longer renewed and
// expire after their lifetime.
func (r *Redis) Close() error {
	r.closing.Do(func() {
		r.stop()
		err := r.pubsub.Close()
		r.done.Wait()
		r.closed = errors.Join(err, r.cfg.Client.Close())
	})
	return r.closed
}
