package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/parley-chat/parley/internal/metrics"

	"github.com/parley-chat/parley/internal/broker"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/modelsync"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/server"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/storeconfig"
)

// modelPollInterval is how often `parley run` looks for a new archive in
// the models folder.
const modelPollInterval = 2 * time.Second

// buildServer builds the server of the settings, with the stores, the
// custom actions and the web app.
func (a *app) buildServer(st *startup, f *serveFlags, p *project.Project,
	stores *storeconfig.Stores, ms *modelsync.Sync) (*server.Server, error) {
	s := st.settings
	var creds map[string]map[string]any
	if p != nil {
		creds = onlyConnector(p.Credentials, f.connector)
	}
	acts, err := a.customActions(&f.project)
	if err != nil {
		return nil, err
	}
	webCfg, err := a.webConfig(s, f, stores.Tracker)
	if err != nil {
		return nil, err
	}
	ts := stores.Tracker
	if stores.Broker != nil {
		ts = publishingStore{TrackerStore: ts, broker: stores.Broker}
		registerBrokerMetrics(st.metrics, stores.Broker)
	}
	ops := server.Ops{Metrics: st.metrics, ShutdownTimeout: s.ShutdownTimeout,
		ReadHeaderTimeout: s.ReadHeaderTimeout, ReadTimeout: s.ReadTimeout,
		IdleTimeout: s.IdleTimeout, ModelSync: ms}
	if h, ok := st.metricsHandler(); ok {
		ops.MetricsHandler = h
	}
	if s.Production() {
		ops.NoModelHint = noModelHint(s.Models)
	}
	return server.New(server.Options{
		Runner: acts.Runner, NLG: acts.NLG, Lock: stores.Lock, Ops: ops, Web: webCfg,
		EnableAPI: s.EnableAPI, AuthToken: s.AuthToken,
		JWTSecret: s.JWTSecret, JWTMethod: s.JWTMethod, Production: s.Production(),
		ModelsDir: modelsFolder(s.Models), CORS: s.CORS, Credentials: creds,
		Store: ts, Logger: a.log, MaxPredictions: f.maxPredictions,
		MaxBodyBytes:    s.MaxBodyBytes,
		ResponseTimeout: time.Duration(f.responseTimeout) * time.Second,
		DucklingURL:     s.DucklingURL,
		ErrorDetail:     s.ShowErrorDetail(),
	}), nil
}

// trainOut is the folder `parley train` writes to: --out, whose default
// ("models") gives way to PARLEY_MODELS when that names a folder, so that
// training and serving agree on it.
func (a *app) trainOut(out string) string {
	if out != "models" {
		return out
	}
	if v := a.env.Getenv("PARLEY_MODELS"); v != "" && filepath.Ext(v) != ".gz" {
		return v
	}
	return out
}

// modelsFolder is the folder of the models setting (which may name one
// archive).
func modelsFolder(models string) string {
	if filepath.Ext(models) == ".gz" {
		return filepath.Dir(models)
	}
	return models
}

// publishingStore is a tracker store that hands every appended event to
// the event broker once the store has it. Publishing never blocks or
// fails the write.
type publishingStore struct {
	store.TrackerStore
	broker broker.Publisher
}

// Append implements store.TrackerStore.
func (p publishingStore) Append(ctx context.Context, id string, events []event.Event) error {
	if err := p.TrackerStore.Append(ctx, id, events); err != nil {
		return err
	}
	if len(events) > 0 {
		p.broker.Publish(id, events...)
	}
	return nil
}

// registerBrokerMetrics exposes the broker's counters on /metrics.
func registerBrokerMetrics(m *metrics.Metrics, b broker.Publisher) {
	m.GaugeFunc("parley_broker_queued", "Events waiting for the event broker.",
		func() float64 { return float64(b.Stats().Queued) })
	m.GaugeFunc("parley_broker_down", "1 while the event broker cannot be reached.",
		func() float64 {
			if b.Stats().Down {
				return 1
			}
			return 0
		})
	m.CounterFunc("parley_broker_published_total", "Events the broker confirmed.",
		func() uint64 { return b.Stats().Published })
	m.CounterFunc("parley_broker_dropped_total", "Events dropped from a full queue.",
		func() uint64 { return b.Stats().Dropped })
	m.CounterFunc("parley_broker_failures_total", "Failed sends to the event broker.",
		func() uint64 { return b.Stats().Failures })
}

// pollModels looks at the models folder every interval and loads a newer
// valid archive when one appears, without a restart (see modelsWatcher).
// Broken archives are skipped with one warning each time the folder
// changes.
func (a *app) pollModels(ctx context.Context, srv *server.Server, dir string,
	interval time.Duration) {
	w := a.newModelsWatcher(srv, dir)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		w.check()
	}
}

// modelsWatcher loads the newest archive of a models folder into a server
// when the folder changes. A model chosen through PUT or DELETE /model
// stands until the folder changes after the choice.
type modelsWatcher struct {
	a       *app
	srv     *server.Server
	dir     string
	last    string // folderState at the last look
	choices int64  // srv.Choices() at the last look
}

func (a *app) newModelsWatcher(srv *server.Server, dir string) *modelsWatcher {
	return &modelsWatcher{a: a, srv: srv, dir: dir, last: folderState(dir),
		choices: srv.Choices()}
}

// check looks at the folder once.
func (w *modelsWatcher) check() {
	now := folderState(w.dir)
	if c := w.srv.Choices(); c != w.choices {
		w.last, w.choices = now, c
		// An archive written after the choice, before this look, is a
		// change the choice did not see.
		if !newestArchiveAfter(w.dir, w.srv.ChosenAt()) {
			return
		}
	} else if now == w.last {
		return
	}
	w.last = now
	w.a.loadNewest(w.srv, w.dir)
}

// newestArchiveAfter reports whether an archive of dir was written after t.
func newestArchiveAfter(dir string, t time.Time) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !model.IsArchiveName(e.Name()) {
			continue
		}
		if info, err := e.Info(); err == nil && info.ModTime().After(t) {
			return true
		}
	}
	return false
}

// loadNewest loads the newest valid archive of dir when it is not the
// model in use, nor one that POST /model/train saved (the API loads those
// only when PUT /model asks, as Rasa does).
func (a *app) loadNewest(srv *server.Server, dir string) {
	path, err := model.Newest(dir, a.log)
	if err != nil {
		return
	}
	if cur := srv.Model(); cur != nil && sameFile(cur.Path, path) {
		return
	}
	if srv.TrainedByAPI(path) {
		a.log.Info("a model trained through the API is in the models folder; it is loaded "+
			"when PUT /model asks for it", "model", path)
		return
	}
	m, err := model.Load(path)
	if err != nil {
		a.log.Warn("a new model archive cannot be loaded; keeping the current one",
			"model", path, "error", err.Error())
		return
	}
	srv.SetModel(m)
}

// sameFile reports whether two paths name the same file.
func sameFile(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA != nil || errB != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	return os.SameFile(ia, ib)
}

// folderState summarises the archives of dir (names, sizes, times), so
// that a change is noticed without reading them.
func folderState(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	var parts []string
	for _, e := range entries {
		if e.IsDir() || !model.IsArchiveName(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s:%d:%d", e.Name(), info.Size(),
			info.ModTime().UnixNano()))
	}
	sort.Strings(parts)
	return strings.Join(parts, "|")
}
