package cli

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"

	"github.com/redis/go-redis/v9"

	"github.com/parley-chat/parley/internal/modelsync"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/server"
	"github.com/parley-chat/parley/internal/store/storeconfig"
)

// pulledModelsDir is the folder of the data directory that keeps the
// archive pulled from the model server.
const pulledModelsDir = "pulled-models"

// newModelSync builds the model server pull of endpoints.yml's models:
// section and, when the tracker store is a database several replicas
// share, the registry in which they compare their models. A models:
// section that cannot be used stops the start; a registry that cannot be
// made is logged and the replicas go uncompared.
func (a *app) newModelSync(ctx context.Context, st *startup, f *serveFlags,
	stores *storeconfig.Stores) (*modelsync.Sync, error) {
	ep, err := a.readEndpoints(&f.project)
	if err != nil {
		return nil, err
	}
	opts := modelsync.Options{Logger: a.log, LockStore: stores.LockKind,
		Dir: filepath.Join(st.settings.DataDir, pulledModelsDir)}
	if pos, ok := ep.Pos["models"]; ok {
		if opts.Models, err = modelsync.ParseConfig(ep.Models, pos); err != nil {
			return nil, err
		}
		for _, k := range opts.Models.Unknown {
			a.log.Warn("a key of models: in endpoints.yml is not used", "key", k,
				"at", pos.String())
		}
	}
	opts.Registry, opts.Close, err = a.replicaRegistry(ctx, ep, stores)
	if err != nil {
		a.log.Warn("the replicas cannot record their models in the shared database; they "+
			"are not compared", "tracker_store", stores.TrackerKind, "error", err.Error())
	}
	if opts.Models == nil && opts.Registry == nil {
		return nil, nil
	}
	ms, err := modelsync.New(opts)
	if err != nil && opts.Close != nil {
		opts.Close()
	}
	return ms, err
}

// replicaRegistry opens the registry in the tracker store's database:
// PostgreSQL and MySQL share the store's connections when it offers them,
// Redis gets a client of its own. Other stores have none (nil, nil).
func (a *app) replicaRegistry(ctx context.Context, ep project.Endpoints,
	stores *storeconfig.Stores) (modelsync.Registry, func() error, error) {
	pos := ep.Pos["tracker_store"]
	switch stores.TrackerKind {
	case storeconfig.KindPostgres, storeconfig.KindMySQL:
		dialect := modelsync.DialectPostgres
		if stores.TrackerKind == storeconfig.KindMySQL {
			dialect = modelsync.DialectMySQL
		}
		if w, ok := stores.Tracker.(interface{ WebDB() *sql.DB }); ok {
			reg, err := modelsync.NewSQLRegistry(ctx, w.WebDB(), dialect)
			return reg, nil, err
		}
		cfg, err := storeconfig.ParseSQL(ep.TrackerStore, pos, a.lookupEnv)
		if err != nil {
			return nil, nil, err
		}
		driver := map[string]string{modelsync.DialectPostgres: "pgx",
			modelsync.DialectMySQL: "mysql"}[dialect]
		db, err := sql.Open(driver, cfg.URL)
		if err != nil {
			return nil, nil, fmt.Errorf("opening the database: %w", err)
		}
		reg, err := modelsync.NewSQLRegistry(ctx, db, dialect)
		if err != nil {
			db.Close()
			return nil, nil, err
		}
		return reg, db.Close, nil
	case storeconfig.KindRedis:
		ro, prefix, err := storeconfig.ParseRedis(ep.TrackerStore, pos, a.env.Dir)
		if err != nil {
			return nil, nil, err
		}
		client := redis.NewClient(ro)
		return modelsync.NewRedisRegistry(client, prefix), client.Close, nil
	}
	return nil, nil, nil
}

// startSyncedModel gives srv its first model: from the model server when
// models: is set and the pull succeeds, otherwise as startModel does. It
// then starts the periodic pulls and the replica heartbeats.
func (a *app) startSyncedModel(ctx context.Context, st *startup, srv *server.Server,
	p *project.Project, perr error, ms *modelsync.Sync) error {
	ms.Bind(srv)
	if !ms.FirstPull(ctx) {
		if ms.Pulls() {
			a.log.Warn("no model from the model server at start; starting with the local " +
				"model, which the next successful pull replaces")
		}
		if err := a.startModel(ctx, st, srv, p, perr); err != nil {
			return err
		}
	}
	ms.Start(ctx)
	return nil
}
