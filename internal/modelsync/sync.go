package modelsync

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-chat/parley/internal/model"
)

// Options configures a Sync.
type Options struct {
	// Models is the models: section; nil means no model server.
	Models *Config
	// Dir keeps the pulled archives; needed with Models.
	Dir string
	// Registry is where the replicas record their models; nil means the
	// replicas are not compared.
	Registry Registry
	// Heartbeat is the time between heartbeats (default DefaultHeartbeat).
	Heartbeat time.Duration
	// Close, when set, is called by Stop once the replica has left the
	// registry (to close a connection opened for it).
	Close func() error
	// Logger gets what happens; nil discards it.
	Logger *slog.Logger
	// LockStore is this replica's kind of lock store (FleetOptions).
	LockStore string
}

// Status is what /status shows of the model server and the replicas.
type Status struct {
	// ModelServer is nil without a models: section.
	ModelServer *PullStatus `json:"model_server,omitempty"`
	// Replicas are the live replicas seen, this one first; empty when the
	// replicas share no database.
	Replicas []Replica `json:"replicas,omitempty"`
	// ReplicasError says why the registry could not be read.
	ReplicasError string `json:"replicas_error,omitempty"`
}

// Sync is the model server pull and the replica fleet of one process.
// Every method may be called on a nil *Sync, which does nothing.
type Sync struct {
	opts   Options
	target boundTarget
	puller *Puller
	fleet  *Fleet
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New checks opts and returns the Sync; bind it to the server with Bind
// before FirstPull and Start.
func New(opts Options) (*Sync, error) {
	s := &Sync{opts: opts}
	if opts.Models != nil {
		p, err := NewPuller(*opts.Models, &s.target, opts.Dir, opts.Logger)
		if err != nil {
			return nil, fmt.Errorf("models: %w", err)
		}
		s.puller = p
	}
	if opts.Registry != nil {
		s.fleet = NewFleet(opts.Registry, &s.target,
			FleetOptions{Heartbeat: opts.Heartbeat, Logger: opts.Logger,
				LockStore: opts.LockStore})
	}
	return s, nil
}

// Bind names the server whose model is pulled and compared.
func (s *Sync) Bind(t Target) {
	if s != nil {
		s.target.t.Store(&t)
	}
}

// Pulls reports whether a model server is configured.
func (s *Sync) Pulls() bool { return s != nil && s.puller != nil }

// FirstPull pulls once, at start, and reports whether the server now has
// a model. When the model server cannot be used, the archive pulled last
// time (kept in Options.Dir) is loaded instead; without one the caller
// starts with a local model.
func (s *Sync) FirstPull(ctx context.Context) bool {
	if !s.Pulls() {
		return false
	}
	loaded, err := s.puller.Pull(ctx)
	if loaded || s.target.Model() != nil {
		return true
	}
	return err != nil && s.puller.loadKept()
}

// PullNow pulls once, as the periodic pulls do, and reports whether a new
// model was loaded; the error says why none was. Without a model server
// it does nothing.
func (s *Sync) PullNow(ctx context.Context) (bool, error) {
	if !s.Pulls() {
		return false, nil
	}
	return s.puller.Pull(ctx)
}

// Start records this replica in the registry (an error is logged by the
// Fleet), then runs the periodic pulls and heartbeats until Stop or ctx's
// end.
func (s *Sync) Start(ctx context.Context) {
	if s == nil {
		return
	}
	ctx, s.cancel = context.WithCancel(ctx)
	if s.puller != nil {
		s.wg.Go(func() { s.puller.Run(ctx) })
	}
	if s.fleet != nil {
		s.fleet.Beat(ctx)
		s.wg.Go(func() { s.fleet.Run(ctx) })
	}
}

// Stop ends the pulls and heartbeats, removes this replica from the
// registry and calls Options.Close. Call it before closing the stores.
func (s *Sync) Stop() error {
	if s == nil {
		return nil
	}
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait()
	if s.opts.Close != nil {
		return s.opts.Close()
	}
	return nil
}

// Status returns the model server's state and the replicas seen.
func (s *Sync) Status() Status {
	var st Status
	if s == nil {
		return st
	}
	if s.puller != nil {
		ps := s.puller.Status()
		st.ModelServer = &ps
	}
	if s.fleet != nil {
		reps, err := s.fleet.Replicas()
		st.Replicas = reps
		if err != nil {
			st.ReplicasError = err.Error()
		}
	}
	return st
}

// boundTarget forwards to the Target given to Bind; before Bind it has
// no model and drops SetModel.
type boundTarget struct {
	t atomic.Pointer[Target]
}

func (b *boundTarget) Model() *model.Model {
	if t := b.t.Load(); t != nil {
		return (*t).Model()
	}
	return nil
}

func (b *boundTarget) SetModel(m *model.Model) {
	if t := b.t.Load(); t != nil {
		(*t).SetModel(m)
	}
}
