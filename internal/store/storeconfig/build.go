package storeconfig

import (
	"context"
	"errors"
	"fmt"

	"github.com/parley-chat/parley/internal/broker"
	"github.com/parley-chat/parley/internal/lock"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/store"
)

// Stores are what Build made from endpoints.yml.
type Stores struct {
	// Tracker is the configured tracker store, nil when endpoints.yml has
	// no tracker_store (the caller opens its default).
	Tracker     store.TrackerStore
	TrackerKind string
	// Lock is the lock store: in-process unless lock_store says redis.
	Lock     lock.Store
	LockKind string
	// Broker publishes events; nil without event_broker.
	Broker broker.Publisher
}

// Build opens the tracker store, lock store and event broker of e. On any
// error it closes what it had opened and returns the error: the caller
// must not start.
func Build(ctx context.Context, e project.Endpoints, opts Options) (*Stores, error) {
	opts = opts.withDefaults()
	out := &Stores{}
	var err error
	out.Tracker, out.TrackerKind, err = OpenTrackerStore(ctx, e.TrackerStore,
		e.Pos["tracker_store"], opts)
	if err == nil {
		out.Lock, out.LockKind, err = OpenLockStore(ctx, e.LockStore, e.Pos["lock_store"], opts)
	}
	if err == nil {
		out.Broker, err = OpenBroker(ctx, e.EventBroker, e.Pos["event_broker"], opts)
	}
	if err != nil {
		out.Close(ctx)
		return nil, err
	}
	if shared(out.TrackerKind) && out.LockKind == LockInProcess {
		// The replicas compare their lock stores once they run, and warn
		// when a second one locks in process (modelsync.Fleet).
		opts.Logger.Info("the tracker store can be shared by several Parley processes but the "+
			"lock store is in-process: when running more than one replica, set lock_store "+
			"type: redis in endpoints.yml so that each conversation is handled one message "+
			"at a time", "tracker_store", out.TrackerKind)
	}
	return out, nil
}

// shared reports whether several processes can use a tracker store kind.
func shared(kind string) bool {
	return kind == KindPostgres || kind == KindMySQL || kind == KindRedis
}

// Close delivers what the broker still holds (until ctx ends), then closes
// the broker, the lock store and the tracker store.
func (s *Stores) Close(ctx context.Context) error {
	var errs []error
	if s.Broker != nil {
		errs = append(errs, s.Broker.Close(ctx))
	}
	if s.Lock != nil {
		errs = append(errs, s.Lock.Close())
	}
	if s.Tracker != nil {
		errs = append(errs, s.Tracker.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("storeconfig: closing: %w", err)
	}
	return nil
}
