package modelsync_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/modelsync"
)

// memRegistry is a Registry in memory; its clock is the test's.
type memRegistry struct {
	mu   sync.Mutex
	reps map[string]modelsync.Replica
	seen map[string]time.Time
	down atomic.Bool
}

func newMemRegistry() *memRegistry {
	return &memRegistry{reps: map[string]modelsync.Replica{}, seen: map[string]time.Time{}}
}

func (m *memRegistry) Kind() string { return "memory" }

func (m *memRegistry) Beat(_ context.Context, r modelsync.Replica) error {
	if m.down.Load() {
		return context.DeadlineExceeded
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reps[r.ID], m.seen[r.ID] = r, time.Now()
	return nil
}

func (m *memRegistry) Live(_ context.Context, within time.Duration) ([]modelsync.Replica,
	error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []modelsync.Replica
	for id, r := range m.reps {
		if age := time.Since(m.seen[id]); age <= within {
			r.SeenSecondsAgo = age.Seconds()
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b modelsync.Replica) int { return compare(a.ID, b.ID) })
	return out, nil
}

func (m *memRegistry) Leave(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.reps, id)
	return nil
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// target is a Target holding a model.
type target struct{ m atomic.Pointer[model.Model] }

func (t *target) Model() *model.Model     { return t.m.Load() }
func (t *target) SetModel(m *model.Model) { t.m.Store(m) }

func modelWithID(id string) *model.Model {
	return &model.Model{Metadata: model.Metadata{ModelID: id, Fingerprint: "fp-" + id}}
}

func TestFleetWarnsOnceAboutADifferentModel(t *testing.T) {
	reg := newMemRegistry()
	var ta, tb target
	ta.SetModel(modelWithID("m1"))
	tb.SetModel(modelWithID("m2"))
	logs := &logBuffer{}
	a := modelsync.NewFleet(reg, &ta, modelsync.FleetOptions{Logger: newLogger(logs),
		Host: "host-a"})
	b := modelsync.NewFleet(reg, &tb, modelsync.FleetOptions{Host: "host-b"})
	ctx := t.Context()
	for _, f := range []*modelsync.Fleet{a, b, a, a} {
		if err := f.Beat(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := logs.count("serve different models"); n != 1 {
		t.Fatalf("%d warnings after three heartbeats, want 1:\n%s", n, logs)
	}
	for _, want := range []string{b.ID(), "host-b", "model m2", "serves model m1"} {
		if logs.count(want) == 0 {
			t.Errorf("the warning does not name %q:\n%s", want, logs)
		}
	}
	reps, err := a.Replicas()
	if err != nil || len(reps) != 2 || !reps[0].Self || reps[0].ModelID != "m1" ||
		reps[1].ID != b.ID() || reps[1].ModelID != "m2" {
		t.Fatalf("replicas %+v (%v), want a (self, m1) then b (m2)", reps, err)
	}

	tb.SetModel(modelWithID("m1"))
	b.Beat(ctx)
	a.Beat(ctx)
	if logs.count("serve the same model again") != 1 {
		t.Errorf("no line saying the replicas agree again:\n%s", logs)
	}
}

func TestFleetRegistryDown(t *testing.T) {
	reg := newMemRegistry()
	var ta target
	logs := &logBuffer{}
	a := modelsync.NewFleet(reg, &ta, modelsync.FleetOptions{Logger: newLogger(logs)})
	reg.down.Store(true)
	for range 3 {
		if err := a.Beat(t.Context()); err == nil {
			t.Fatal("a heartbeat into a registry that is down succeeded")
		}
	}
	reg.down.Store(false)
	if err := a.Beat(t.Context()); err != nil {
		t.Fatal(err)
	}
	if logs.count("cannot be reached") != 1 || logs.count("answers again") != 1 {
		t.Errorf("want one warning and one recovery line:\n%s", logs)
	}
}

func TestFleetRunRecordsASwapAndLeaves(t *testing.T) {
	reg := newMemRegistry()
	var ta target
	ta.SetModel(modelWithID("m1"))
	a := modelsync.NewFleet(reg, &ta, modelsync.FleetOptions{Heartbeat: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	a.Beat(ctx)
	go func() { a.Run(ctx); close(done) }()

	modelIn := func() string {
		reps, _ := reg.Live(t.Context(), time.Minute)
		if len(reps) != 1 {
			return ""
		}
		return reps[0].ModelID
	}
	eventually(t, "the first heartbeat", func() bool { return modelIn() == "m1" })
	ta.SetModel(modelWithID("m2"))
	eventually(t, "the swap to be recorded before the next heartbeat",
		func() bool { return modelIn() == "m2" })
	cancel()
	<-done
	if reps, _ := reg.Live(t.Context(), time.Minute); len(reps) != 0 {
		t.Errorf("after Run ended the registry still lists %+v", reps)
	}
}

// TestFleetWarnsAboutInProcessLocks: a second live replica that locks in
// its own process gets one warning naming both and lock_store; a replica
// on Redis locks does not count.
func TestFleetWarnsAboutInProcessLocks(t *testing.T) {
	reg := newMemRegistry()
	var tm target
	tm.SetModel(modelWithID("m1"))
	logs := &logBuffer{}
	a := modelsync.NewFleet(reg, &tm, modelsync.FleetOptions{Logger: newLogger(logs),
		Host: "host-a", LockStore: modelsync.InProcessLock})
	c := modelsync.NewFleet(reg, &tm, modelsync.FleetOptions{Host: "host-c", LockStore: "redis"})
	ctx := t.Context()
	for _, f := range []*modelsync.Fleet{a, c, a} {
		if err := f.Beat(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := logs.count("lock conversations in their own process"); n != 0 {
		t.Fatalf("one in-process replica beside a Redis one was warned about:\n%s", logs)
	}
	b := modelsync.NewFleet(reg, &tm, modelsync.FleetOptions{Host: "host-b",
		LockStore: modelsync.InProcessLock})
	for _, f := range []*modelsync.Fleet{b, a, a} {
		if err := f.Beat(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := logs.count("lock conversations in their own process"); n != 1 {
		t.Fatalf("%d warnings for two in-process replicas, want 1:\n%s", n, logs)
	}
	for _, want := range []string{a.ID(), b.ID(), "lock_store: {type: redis"} {
		if logs.count(want) == 0 {
			t.Errorf("the warning does not name %q:\n%s", want, logs)
		}
	}
}
