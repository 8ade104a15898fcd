package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-chat/parley/internal/logging"
	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/modelsync"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/server"
	"github.com/parley-chat/parley/internal/settings"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/storeconfig"
	"github.com/parley-chat/parley/internal/watch"
)

// serving is what `parley run` holds while it serves.
type serving struct {
	st     *startup
	stores *storeconfig.Stores
	srv    *server.Server
	sync   *modelsync.Sync // model server pull and replica registry
	// stopAt is when the context ended: the shutdown deadline counts
	// from it.
	stopAt time.Time
}

// serve is `parley run`: settings, logging and the production check
// first, then the stores of endpoints.yml, the server with its model, and
// the listener; on SIGTERM it lets turns in flight finish and closes the
// stores within the shutdown timeout.
func (a *app) serve(cmd *cobra.Command, f *serveFlags) error {
	ctx := cmd.Context()
	if err := a.checkServeFlags(f); err != nil {
		return err
	}
	production := false
	if s, err := a.loadSettings(cmd); err == nil {
		production = s.Production()
	}
	st, err := a.prepareServe(cmd, production)
	if err != nil {
		return err
	}
	defer st.release()
	if err := a.teeLogFile(st, f.logFile); err != nil {
		return err
	}
	sv, err := a.openServing(ctx, st, f)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { sv.stopAt = time.Now() })
	defer stop()
	if st.settings.Production() {
		f.upNote = productionNote(st.settings.AllowedHosts)
	}
	serveErr := a.listenAndServe(ctx, sv.srv, f)
	return errors.Join(serveErr, sv.close())
}

// productionNote tells, on the line that says the server is up, which
// hosts production answers for.
func productionNote(hosts []string) string {
	note := fmt.Sprintf(" In production it answers only for %s (PARLEY_ALLOWED_HOSTS)",
		strings.Join(hosts, ", "))
	if !slices.Contains(hosts, "localhost") {
		note += ", not for the localhost above"
	}
	return note + "; /healthz, /readyz and /metrics answer any host."
}

// openServing opens the stores and builds the server with its model.
func (a *app) openServing(ctx context.Context, st *startup, f *serveFlags) (*serving, error) {
	s := st.settings
	// A broken project is no reason to refuse serving an existing model.
	p, perr := a.loadProject(&f.project)
	stores, err := a.buildStores(ctx, st, f)
	if err != nil {
		return nil, err
	}
	sv := &serving{st: st, stores: stores}
	if sv.sync, err = a.newModelSync(ctx, st, f, stores); err != nil {
		stores.Close(context.Background())
		return nil, err
	}
	srv, err := a.buildServer(st, f, p, stores, sv.sync)
	if err != nil {
		stores.Close(context.Background())
		return nil, err
	}
	sv.srv = srv
	if err := a.startSyncedModel(ctx, st, srv, p, perr, sv.sync); err != nil {
		sv.sync.Stop()
		stores.Close(context.Background())
		return nil, err
	}
	if s.Models != "" && filepath.Ext(s.Models) != ".gz" && !sv.sync.Pulls() {
		go a.pollModels(ctx, srv, s.Models, modelPollInterval)
	}
	if p != nil {
		files := watch.ProjectFiles{Config: f.project.config, Domain: f.project.domain,
			Data: f.project.data, Endpoints: f.project.endpoints,
			Credentials: f.project.credentials}
		err := st.watchProject(ctx, files, a.env.Dir, func(ctx context.Context, changed []string) {
			a.reloadModel(ctx, srv, f, modelsFolder(s.Models), changed)
		})
		if err != nil {
			a.log.Warn("project files are not watched; restart to pick up changes",
				"error", err.Error())
		}
	}
	f.port, f.iface = s.Port, s.Interface
	return sv, nil
}

// close closes the stores after the server stopped, within what is left
// of the shutdown timeout (at least a second).
func (sv *serving) close() error {
	start := sv.stopAt
	if start.IsZero() {
		start = time.Now()
	}
	deadline := start.Add(sv.st.settings.ShutdownTimeout)
	if time.Until(deadline) < time.Second {
		deadline = time.Now().Add(time.Second)
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	if err := sv.sync.Stop(); err != nil {
		sv.st.log.Warn("closing the replica registry", "error", err.Error())
	}
	if err := sv.stores.Close(ctx); err != nil {
		return fmt.Errorf("closing the stores: %w", err)
	}
	sv.st.log.Info("stopped; the stores are closed")
	return nil
}

// buildStores opens the tracker store, lock store and event broker of
// endpoints.yml. A section that cannot be used stops the start; without
// tracker_store the --store default (SQLite in the data directory) opens.
func (a *app) buildStores(ctx context.Context, st *startup, f *serveFlags) (
	*storeconfig.Stores, error) {
	ep, err := a.readEndpoints(&f.project)
	if err != nil {
		return nil, err
	}
	stores, err := storeconfig.Build(ctx, ep, storeconfig.Options{BaseDir: a.env.Dir,
		DataDir: st.settings.DataDir, Logger: a.log, LookupEnv: a.lookupEnv})
	if err != nil {
		fmt.Fprintf(a.env.Stderr, "parley: the stores of endpoints.yml cannot be used:\n%v\n",
			err)
		return nil, exitError{code: 1}
	}
	if stores.Tracker == nil {
		ts, err := a.defaultStore(ctx, st.settings, f)
		if err != nil {
			stores.Close(ctx)
			return nil, err
		}
		stores.Tracker, stores.TrackerKind = ts, st.settings.TrackerStore
	}
	return stores, nil
}

// defaultStore opens the store the settings name (--store, PARLEY_STORE):
// SQLite in the data directory, or memory.
func (a *app) defaultStore(ctx context.Context, s *settings.Settings, f *serveFlags) (
	store.TrackerStore, error) {
	if s.TrackerStore != store.KindSQLite {
		return store.Open(ctx, s.TrackerStore, "")
	}
	for _, d := range f.project.data {
		data := a.resolve(d)
		rel, err := filepath.Rel(data, s.DataDir)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("the data directory %s is inside the training data folder "+
				"%s: choose another with --data-dir", s.DataDir, data)
		}
	}
	return store.Open(ctx, store.KindSQLite, s.DataDir)
}

// teeLogFile sends the logs to path as well as to stderr, in the format
// and level of the settings.
func (a *app) teeLogFile(st *startup, path string) error {
	if path == "" {
		return nil
	}
	file, err := os.OpenFile(a.resolve(path), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("opening --log-file: %w", err)
	}
	a.log = logging.New(io.MultiWriter(a.env.Stderr, file),
		logging.Options{Format: st.settings.LogFormat, Level: st.settings.LogLevel})
	st.log = a.log
	storeconfig.LogRedisTo(a.log)
	return nil
}

// startModel gives srv the newest model. Without one, development trains
// one in the background; production never trains at start: chat and parse
// get 409 with the `parley train` command until a model appears.
func (a *app) startModel(ctx context.Context, st *startup, srv *server.Server,
	p *project.Project, perr error) error {
	path, err := model.Resolve(st.settings.Models, a.log)
	if err == nil {
		m, err := model.Load(path)
		if err != nil {
			return err
		}
		if perr != nil {
			a.log.Warn("the project cannot be read; serving the model without it",
				"error", perr.Error())
		}
		srv.SetModel(m)
		return nil
	}
	if !errors.Is(err, model.ErrNoModel) {
		return err
	}
	if st.settings.Production() {
		a.log.Warn("no model: production never trains at start; chat and parse requests get " +
			"409 until a model appears (PUT /model, or a new archive in the models folder)")
		return nil
	}
	if perr != nil {
		return perr
	}
	fmt.Fprintln(a.env.Stderr, "No model found: training one in the background; "+
		"chat and parse requests get 409 until it is ready.")
	opts := model.TrainOptions{Out: st.settings.Models}
	srv.StartTraining(ctx, func(ctx context.Context) (*model.Model, error) {
		res, err := a.train(ctx, p, opts, a.env.Stderr)
		if err != nil {
			return nil, err
		}
		return res.Model, nil
	})
	return nil
}

// noModelHint is what chat and parse requests say when no model is loaded
// and none is being trained.
func noModelHint(modelsDir string) string {
	return "No model is loaded. Train one with `parley train --out " + modelsDir +
		"`; the server picks it up from that folder without a restart (or load one with " +
		"PUT /model)."
}

// reloadModel trains a model from the changed project (development) into
// the models folder out and swaps it in; the old model keeps answering
// until the new one is ready, and stays when training fails.
func (a *app) reloadModel(ctx context.Context, srv *server.Server, f *serveFlags, out string,
	changed []string) {
	a.log.Info("project files changed: retraining", "files", strings.Join(changed, ","))
	m, err := a.retrain(ctx, f, out, nil)
	if err != nil {
		if ctx.Err() == nil {
			a.log.Warn("retraining failed; the previous model keeps answering",
				"error", err.Error())
		}
		return
	}
	srv.SetModel(m)
}
