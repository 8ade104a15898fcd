package lock

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/parley-chat/parley/internal/store/storetest"
)

// waitFor polls cond until it holds; the test's own deadline bounds it.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		if t.Context().Err() != nil {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// checkExclusive has many goroutines take turns on a few conversations
// through the given stores, and fails if two ever hold one lock at once.
func checkExclusive(t *testing.T, stores ...Store) {
	const conversations, workers, rounds = 3, 12, 15
	var inside [conversations]atomic.Int32
	var total atomic.Int32
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			s := stores[w%len(stores)]
			for r := range rounds {
				c := (w + r) % conversations
				unlock, err := s.Lock(t.Context(), fmt.Sprint("conv-", c))
				if err != nil {
					t.Error(err)
					return
				}
				if inside[c].Add(1) != 1 {
					t.Errorf("two holders of conversation %d", c)
				}
				runtime.Gosched()
				total.Add(1)
				inside[c].Add(-1)
				unlock()
				unlock() // a second call does nothing
			}
		})
	}
	wg.Wait()
	if got := total.Load(); got != workers*rounds {
		t.Fatalf("%d turns taken, want %d", got, workers*rounds)
	}
}

// checkFIFO holds a conversation's lock, queues waiters one after another
// (alternating between the stores), and expects them served in arrival
// order. queued reports how many tickets the conversation has.
func checkFIFO(t *testing.T, queued func() int, stores ...Store) {
	const waiters = 8
	first, err := stores[0].Lock(t.Context(), "fifo")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for i := range waiters {
		wg.Go(func() {
			unlock, err := stores[i%len(stores)].Lock(t.Context(), "fifo")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			unlock()
		})
		waitFor(t, fmt.Sprintf("waiter %d to queue", i), func() bool { return queued() == i+2 })
	}
	first()
	wg.Wait()
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7}; !slices.Equal(order, want) {
		t.Fatalf("served in order %v, want %v", order, want)
	}
}

// checkCancel has a waiter give up and expects the lock to pass over it.
func checkCancel(t *testing.T, s Store) {
	hold, err := s.Lock(t.Context(), "cancel")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	gaveUp := make(chan error)
	go func() {
		_, err := s.Lock(ctx, "cancel")
		gaveUp <- err
	}()
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Fatalf("Lock with a cancelled context = %v, want context.Canceled", err)
	}
	hold()
	next, err := s.Lock(t.Context(), "cancel")
	if err != nil {
		t.Fatal(err)
	}
	next()
}

func TestInProcess(t *testing.T) {
	l := NewInProcess()
	t.Run("Exclusive", func(t *testing.T) { checkExclusive(t, l) })
	t.Run("FIFO", func(t *testing.T) {
		checkFIFO(t, func() int {
			l.mu.Lock()
			defer l.mu.Unlock()
			return len(l.queues["fifo"])
		}, l)
	})
	t.Run("Cancel", func(t *testing.T) { checkCancel(t, l) })
	if len(l.queues) != 0 {
		t.Fatalf("idle conversations left behind: %d", len(l.queues))
	}
}

// newRedis returns n lock stores on separate clients sharing one prefix,
// as replicas do, and a client for looking at the keys.
func newRedis(t *testing.T, n int, lifetime time.Duration) ([]*Redis, *redis.Client) {
	t.Helper()
	u := storetest.RedisURL(t)
	opts, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	prefix := storetest.KeyPrefix(t, u)
	var out []*Redis
	for range n {
		r, err := NewRedis(t.Context(), RedisConfig{Client: redis.NewClient(opts),
			KeyPrefix: prefix, Lifetime: lifetime})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		out = append(out, r)
	}
	peek := redis.NewClient(opts)
	t.Cleanup(func() { peek.Close() })
	return out, peek
}

func TestRedis(t *testing.T) {
	replicas, peek := newRedis(t, 2, 0)
	a, b := replicas[0], replicas[1]
	t.Run("Exclusive", func(t *testing.T) { checkExclusive(t, a, b) })
	t.Run("FIFO", func(t *testing.T) {
		checkFIFO(t, func() int {
			return int(peek.ZCard(context.Background(), a.keys("fifo")[0]).Val())
		}, a, b)
	})
	t.Run("Cancel", func(t *testing.T) { checkCancel(t, a) })
}

// TestRedisCrashedHolder stops a replica while it holds a lock; the other
// replica gets the lock once the ticket's lifetime has passed.
func TestRedisCrashedHolder(t *testing.T) {
	replicas, peek := newRedis(t, 2, 300*time.Millisecond)
	if _, err := replicas[0].Lock(t.Context(), "c"); err != nil {
		t.Fatal(err)
	}
	replicas[0].Close() // no unlock, no more renewals
	unlock, err := replicas[1].Lock(t.Context(), "c")
	if err != nil {
		t.Fatalf("Lock after the holder crashed: %v", err)
	}
	unlock()
	waitFor(t, "the tickets to go", func() bool {
		return peek.ZCard(context.Background(), replicas[1].keys("c")[0]).Val() == 0
	})
}

// TestRedisRenewal holds a lock for several lifetimes: renewals keep
// the ticket, so a second replica must not get in.
func TestRedisRenewal(t *testing.T) {
	replicas, _ := newRedis(t, 2, 150*time.Millisecond)
	unlock, err := replicas[0].Lock(t.Context(), "long")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 600*time.Millisecond)
	defer cancel()
	if _, err := replicas[1].Lock(ctx, "long"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second replica's Lock while the first holds it = %v, want a timeout", err)
	}
	unlock()
	again, err := replicas[1].Lock(t.Context(), "long")
	if err != nil {
		t.Fatal(err)
	}
	again()
}

func TestRedisUnreachable(t *testing.T) {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	if _, err := NewRedis(t.Context(), RedisConfig{Client: client}); !errors.Is(err,
		ErrUnavailable) {
		t.Fatalf("NewRedis on a closed port = %v, want ErrUnavailable", err)
	}
}
