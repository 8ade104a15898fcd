package cli

import (
	"context"
	"database/sql"

	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/server"
	"github.com/parley-chat/parley/internal/settings"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/web"
)

// webConfig returns the web app's settings for a serving command: mode,
// secret key, allowed hosts, trusted proxies, embedding origins and
// session idle time from Parley's settings (in development without a
// secret key, the key kept in the data directory); the greeting and title
// from PARLEY_CHAT_GREETING and PARLEY_CHAT_TITLE; the tracker store's
// database for sessions and logins; the project's results folder for the
// test reports; and a retrain for the inspector that reads the project
// files again.
func (a *app) webConfig(s *settings.Settings, f *serveFlags, ts store.TrackerStore) (
	*server.WebConfig, error) {
	cfg := server.WebConfig{
		Production:   s.Production(),
		ErrorDetail:  s.ShowErrorDetail(),
		AllowedHosts: s.AllowedHosts,
		EmbedOrigins: s.EmbedOrigins,
		Greeting:     s.ChatGreeting,
		Title:        s.ChatTitle,
		ResultsDir:   a.resolve("results"),
	}
	var err error
	if cfg.TrustedProxies, err = web.ParseTrustedProxies(s.TrustedProxies); err != nil {
		return nil, err
	}
	if cfg.SessionIdle, err = web.ParseSessionIdle(s.SessionIdle); err != nil {
		return nil, err
	}
	if s.SecretKey != "" {
		cfg.SecretKey = []byte(s.SecretKey)
	} else if !s.Production() && s.DataDir != "" {
		if cfg.SecretKey, err = web.DevSecretKey(s.DataDir, a.log); err != nil {
			return nil, err
		}
	}
	if db, ok := ts.(interface{ WebDB() *sql.DB }); ok {
		cfg.DB = db.WebDB()
	} else {
		a.log.Warn("this tracker store has no SQL database for the web app: browser sessions "+
			"live in this process's memory (lost on restart, and not shared between replicas, "+
			"so a browser sent to another replica starts over) and the inspector has no "+
			"logins; keep conversations in SQLite (the default), PostgreSQL or MySQL "+
			"(tracker_store type SQL in endpoints.yml) for both", "tracker_store", s.TrackerStore)
	}
	cfg.Train = func(ctx context.Context, progress func(string, int, int)) (*model.Model,
		error) {
		return a.retrain(ctx, f, modelsFolder(s.Models), progress)
	}
	return &cfg, cfg.Check()
}

// retrain reads the project again and trains a model from it into the
// folder out (the models folder of the settings), as the inspector's
// "retrain" button and the development reload ask.
func (a *app) retrain(ctx context.Context, f *serveFlags, out string,
	progress func(string, int, int)) (*model.Model, error) {
	p, err := a.loadProject(&f.project)
	if err != nil {
		return nil, err
	}
	res, err := model.Train(ctx, p, model.TrainOptions{
		Out:      out,
		Progress: progress,
		Logger:   a.log,
		Warn: func(d project.Diagnostic) {
			a.log.Warn("training warning", "warning", d.String())
		},
	})
	if err != nil {
		return nil, err
	}
	return res.Model, nil
}
