package modelsync

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/parley-chat/parley/internal/model"
)

// Defaults of FleetOptions.
const (
	// DefaultHeartbeat is how often a replica records the model it serves.
	DefaultHeartbeat = 30 * time.Second
	// LiveWithin is how recent a replica's heartbeat must be for it to
	// count as live.
	LiveWithin = 2 * time.Minute
)

// modelCheck is how often a Fleet looks whether its model changed, so
// that a swap is recorded at once rather than at the next heartbeat.
const modelCheck = time.Second

// Replica is one Parley process as the registry records it.
type Replica struct {
	// ID names the process: host, process id and a random part.
	ID   string `json:"id"`
	Host string `json:"host"`
	// ModelID and Fingerprint are those of the model it serves, empty
	// while it serves none.
	ModelID     string    `json:"model_id"`
	Fingerprint string    `json:"fingerprint"`
	StartedAt   time.Time `json:"started_at"`
	// SeenSecondsAgo is the age of its latest heartbeat, by the
	// database's clock.
	SeenSecondsAgo float64 `json:"seen_seconds_ago"`
	// Self marks the replica that answers.
	Self bool `json:"self,omitempty"`
	// LockStore is the kind of lock store it serialises turns with
	// (storeconfig's "in_memory" or "redis"); empty when unknown.
	LockStore string `json:"lock_store,omitempty"`
}

// InProcessLock is the LockStore of a replica whose lock store is in its
// own process (storeconfig.LockInProcess).
const InProcessLock = "in_memory"

// Registry is where the replicas that share a database record themselves.
type Registry interface {
	// Beat records r as live now.
	Beat(ctx context.Context, r Replica) error
	// Live returns the replicas whose latest heartbeat is within the
	// given time, ordered by ID.
	Live(ctx context.Context, within time.Duration) ([]Replica, error)
	// Leave removes the replica id.
	Leave(ctx context.Context, id string) error
	// Kind names the database, for messages ("postgresql", "redis").
	Kind() string
}

// FleetOptions configures a Fleet.
type FleetOptions struct {
	// Heartbeat is the time between heartbeats (default DefaultHeartbeat).
	Heartbeat time.Duration
	// Logger gets the warnings; nil discards them.
	Logger *slog.Logger
	// Host names this machine; empty means os.Hostname.
	Host string
	// LockStore is this replica's kind of lock store, recorded with it so
	// that replicas can tell when several of them lock in process.
	LockStore string
}

// Fleet records the model of one replica in a Registry and warns when
// another live replica serves a different model.
type Fleet struct {
	reg    Registry
	target Target
	opts   FleetOptions
	self   Replica

	mu      sync.Mutex
	seen    []Replica // others, from the latest heartbeat
	seenErr error
	warned  string // the disagreement last warned about
	// warnedLocks lists the replicas last warned about for locking in
	// process.
	warnedLocks string
	// beatModel is the model of the latest heartbeat: Run beats again
	// at once when the target's model is another.
	beatModel *model.Model
}

// NewFleet returns the Fleet of the replica whose model target serves.
func NewFleet(reg Registry, target Target, opts FleetOptions) *Fleet {
	if opts.Heartbeat <= 0 {
		opts.Heartbeat = DefaultHeartbeat
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Host == "" {
		opts.Host, _ = os.Hostname()
	}
	id := make([]byte, 4)
	rand.Read(id)
	self := Replica{ID: fmt.Sprintf("%s-%d-%s", opts.Host, os.Getpid(), hex.EncodeToString(id)),
		Host: opts.Host, StartedAt: time.Now().UTC().Truncate(time.Millisecond),
		LockStore: opts.LockStore}
	return &Fleet{reg: reg, target: target, opts: opts, self: self}
}

// ID returns this replica's id.
func (f *Fleet) ID() string { return f.self.ID }

// Run beats every Heartbeat, and at once when the model changes, until
// ctx ends; then it removes the replica from the registry. Call Beat
// once before, so that the replica is recorded before it serves.
func (f *Fleet) Run(ctx context.Context) {
	next := time.Now().Add(f.opts.Heartbeat)
	t := time.NewTicker(min(modelCheck, f.opts.Heartbeat))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			leave, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			f.reg.Leave(leave, f.self.ID)
			cancel()
			return
		case <-t.C:
		}
		if f.target.Model() != f.beaten() || !time.Now().Before(next) {
			next = time.Now().Add(f.opts.Heartbeat)
			f.Beat(ctx)
		}
	}
}

// Beat records this replica's model, reads the other live replicas and
// warns when one serves a different model. A registry that cannot be
// reached is logged once until it answers again.
func (f *Fleet) Beat(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	m := f.target.Model()
	me := f.describe(m)
	err := f.reg.Beat(ctx, me)
	var live []Replica
	if err == nil {
		live, err = f.reg.Live(ctx, LiveWithin)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.beatModel = m
	if err != nil {
		if f.seenErr == nil {
			f.opts.Logger.Warn("the replica registry cannot be reached; replicas are not "+
				"compared until it answers", "database", f.reg.Kind(), "error", err.Error())
		}
		f.seenErr = err
		return fmt.Errorf("recording the replica in %s: %w", f.reg.Kind(), err)
	}
	if f.seenErr != nil {
		f.opts.Logger.Info("the replica registry answers again", "database", f.reg.Kind())
	}
	f.seenErr = nil
	f.seen = slices.DeleteFunc(live, func(r Replica) bool { return r.ID == me.ID })
	f.compare(me)
	f.compareLocks(me)
	return nil
}

// compareLocks warns once about each new set of live replicas of which
// more than one locks conversations in its own process: their turns for
// one conversation can then run at once, on different replicas. f.mu is
// held.
func (f *Fleet) compareLocks(me Replica) {
	var inProcess []string
	for _, r := range append([]Replica{me}, f.seen...) {
		if r.LockStore == InProcessLock {
			inProcess = append(inProcess, r.ID+" on "+r.Host)
		}
	}
	key := strings.Join(inProcess, ";")
	if len(inProcess) < 2 {
		f.warnedLocks = ""
		return
	}
	if key == f.warnedLocks {
		return
	}
	f.warnedLocks = key
	f.opts.Logger.Warn(fmt.Sprintf("%d replicas share this database but lock "+
		"conversations in their own process (%s): two messages of one conversation can be "+
		"handled at once on two replicas, and one of them lost. Set lock_store: {type: "+
		"redis, url: ...} in endpoints.yml on every replica", len(inProcess),
		strings.Join(inProcess, ", ")), "database", f.reg.Kind())
}

// describe is this replica serving m.
func (f *Fleet) describe(m *model.Model) Replica {
	me := f.self
	if m != nil {
		me.ModelID, me.Fingerprint = m.Metadata.ModelID, m.Metadata.Fingerprint
	}
	return me
}

// beaten is the model of the latest heartbeat.
func (f *Fleet) beaten() *model.Model {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.beatModel
}

// compare warns once about each new disagreement, and says when the
// replicas agree again. f.mu is held.
func (f *Fleet) compare(me Replica) {
	var differ []string
	for _, r := range f.seen {
		if r.ModelID != me.ModelID {
			differ = append(differ, fmt.Sprintf("%s on %s serves %s", r.ID, r.Host,
				modelName(r.ModelID)))
		}
	}
	key := me.ModelID + "|" + strings.Join(differ, ";")
	switch {
	case len(differ) == 0 && f.warned != "":
		f.opts.Logger.Info("the replicas serve the same model again",
			"model_id", me.ModelID, "replicas", len(f.seen)+1)
		f.warned = ""
	case len(differ) > 0 && key != f.warned:
		f.opts.Logger.Warn("replicas sharing this database serve different models: this "+
			"replica ("+me.ID+") serves "+modelName(me.ModelID)+"; "+strings.Join(differ, "; ")+
			". Conversations will get different answers depending on the replica: give every "+
			"replica the same models: section in endpoints.yml (a model server they all pull "+
			"from), or deploy the same archive to each",
			"model_id", me.ModelID, "database", f.reg.Kind())
		f.warned = key
	}
}

// modelName describes a model id in a message.
func modelName(id string) string {
	if id == "" {
		return "no model"
	}
	return "model " + id
}

// Replicas returns the live replicas seen at the latest heartbeat, this
// one (with its model now) first, and the error of that heartbeat.
func (f *Fleet) Replicas() ([]Replica, error) {
	me := f.describe(f.target.Model())
	me.Self = true
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Replica{me}, f.seen...), f.seenErr
}
