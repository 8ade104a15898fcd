package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/parley-chat/parley/internal/backup"
	"github.com/parley-chat/parley/internal/logging"
	"github.com/parley-chat/parley/internal/metrics"
	"github.com/parley-chat/parley/internal/preflight"
	"github.com/parley-chat/parley/internal/settings"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/store/storeconfig"
	"github.com/parley-chat/parley/internal/watch"
)

// startup is what a serving command has checked and set up before it
// listens: the settings, the logger, the metrics and the data directory's
// lock.
type startup struct {
	settings *settings.Settings
	log      *slog.Logger
	metrics  *metrics.Metrics
	// release lets go of the data directory's lock.
	release func() error
}

// prepareServe loads the settings of cmd's flags and the environment, sets
// up the logger (a.log), refuses unsafe production settings, checks that
// the folders Parley writes are writable, and takes the data directory's
// shared lock (so that `parley db restore` refuses while it runs). Every
// problem is printed; the error is then exitError 1. readOnlyModels says
// the models folder is only read (production never trains at start).
func (a *app) prepareServe(cmd *cobra.Command, readOnlyModels bool) (*startup, error) {
	s, err := a.loadSettings(cmd)
	if err != nil {
		fmt.Fprintf(a.env.Stderr, "parley: these settings cannot be used:\n%v\n", err)
		return nil, exitError{code: 1}
	}
	a.level = s.LogLevel
	a.log = logging.New(a.env.Stderr, logging.Options{Format: s.LogFormat, Level: s.LogLevel})
	storeconfig.LogRedisTo(a.log)
	for _, w := range s.Warnings() {
		a.log.Warn(w)
	}
	if s.Production() {
		if err := s.CheckProduction(); err != nil {
			fmt.Fprintln(a.env.Stderr, err)
			return nil, exitError{code: 1}
		}
	}
	if err := preflight.Check(servedDirs(s, readOnlyModels)...); err != nil {
		fmt.Fprintln(a.env.Stderr, err)
		return nil, exitError{code: 1}
	}
	st := &startup{settings: s, log: a.log, metrics: metrics.New(),
		release: func() error { return nil }}
	if s.TrackerStore == store.KindSQLite {
		release, err := backup.Lock(s.DataDir, false)
		if err != nil {
			return nil, fmt.Errorf("%w (a `parley db restore` is replacing the database; "+
				"start again when it is done)", err)
		}
		claim, warning, err := preflight.ClaimSQLite(s.DataDir)
		if err != nil {
			release()
			return nil, err
		}
		if warning != "" {
			a.log.Warn(warning)
		}
		st.release = func() error { return errors.Join(claim(), release()) }
	}
	return st, nil
}

// servedDirs are the folders a server needs: the data directory (with
// the database files, when SQLite keeps the conversations) and the models
// folder.
func servedDirs(s *settings.Settings, readOnlyModels bool) []preflight.Dir {
	var dirs []preflight.Dir
	if s.TrackerStore == store.KindSQLite {
		db := store.DBFile
		dirs = append(dirs, preflight.Dir{Path: s.DataDir, Purpose: "data directory",
			Setting: "PARLEY_DATA_DIR or --data-dir", Files: []string{db, db + "-wal", db + "-shm"}})
	}
	models := s.Models
	if filepath.Ext(models) == ".gz" {
		models = filepath.Dir(models) // -m names one archive
	}
	return append(dirs, preflight.Dir{Path: models, Purpose: "models folder",
		Setting: "PARLEY_MODELS or --model", ReadOnly: readOnlyModels})
}

// watchProject starts, in development only, a watcher on the project's
// training files that calls retrain after each burst of changes; it stops
// with ctx. In production it does nothing.
func (st *startup) watchProject(ctx context.Context, files watch.ProjectFiles, root string,
	retrain func(ctx context.Context, changed []string)) error {
	if st.settings.Production() {
		return nil
	}
	w, err := watch.New(watch.Options{Paths: watch.ProjectPaths(root, files),
		OnChange: retrain, Logger: st.log})
	if err != nil {
		return err
	}
	go w.Run(ctx)
	return nil
}

// metricsHandler returns the /metrics handler, or false when metrics are
// off (production without PARLEY_METRICS_TOKEN).
func (st *startup) metricsHandler() (http.Handler, bool) {
	if !st.settings.MetricsEnabled() {
		return nil, false
	}
	return st.metrics.Handler(st.settings.MetricsToken), true
}
