package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/web"
)

// WebConfig sets up the web app (chat page, embedded chat, inspector,
// browser sessions, allowed hosts); web.ConfigFromEnv reads it from the
// environment. Options.Web nil means development defaults with sessions in
// memory.
type WebConfig = web.Config

// webConfig returns the web app's settings.
func (s *Server) webConfig() web.Config {
	if s.opts.Web == nil {
		return web.Config{}
	}
	return *s.opts.Web
}

// mountWeb adds the routes a browser uses: the chat page and its JSON API,
// the embedded chat, the static files and the inspector. When the web
// settings cannot work it logs why and leaves those routes out.
func (s *Server) mountWeb(mux *http.ServeMux) {
	app, err := web.New(web.Options{Config: s.webConfig(), Bot: webBot{s}, Trackers: s.opts.Store,
		Logger: s.log, Version: parleyVersion})
	if err != nil {
		s.log.Error("the web app is off: its settings cannot work", "error", err.Error())
		return
	}
	app.Mount(mux)
}

// guardHosts wraps h so that requests for hosts that are not allowed get
// 400, and forwarded headers are believed only from trusted proxies. The
// web app's routes are guarded either way; wrapping the whole server
// guards the API and channels too. The probes are not guarded: Docker's
// HEALTHCHECK (`parley healthcheck`) asks for 127.0.0.1, an orchestrator
// asks for the container's address, and neither is a site's host name;
// their answers hold no link or redirect a forged Host could poison.
func (s *Server) guardHosts(h http.Handler) http.Handler {
	guarded := web.NewHostGuard(s.webConfig(), s.log).Wrap(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isProbe(r) {
			h.ServeHTTP(w, r)
			return
		}
		guarded.ServeHTTP(w, r)
	})
}

// isProbe reports whether r asks for /healthz, /readyz or /metrics.
func isProbe(r *http.Request) bool {
	switch r.URL.Path {
	case "/healthz", "/readyz", "/metrics":
		return r.Method == http.MethodGet || r.Method == http.MethodHead
	}
	return false
}

// webBot is the server as the web app sees it.
type webBot struct{ s *Server }

// HandleMessage runs one turn with the loaded model, bounded by the
// response timeout. Without a usable model the user is told why.
func (b webBot) HandleMessage(ctx context.Context, msg agent.UserMessage) ([]event.Event,
	error) {
	cur, err := b.s.ready()
	var e *Error
	if errors.As(err, &e) {
		return nil, &web.UnavailableError{Message: e.Message}
	}
	if err != nil {
		return nil, err
	}
	if cur.model.Policies == nil {
		return nil, &web.UnavailableError{Message: "The loaded model cannot chat: it was " +
			"trained with `parley train nlu`; train a full model with `parley train`."}
	}
	ctx, cancel := context.WithTimeout(ctx, b.s.opts.ResponseTimeout)
	defer cancel()
	events, err := cur.agent.HandleMessage(ctx, msg)
	// A database or lock store that cannot be reached is a 503 with the
	// same words as the API's, not a failure of the bot.
	if u := unavailable(&Error{Status: http.StatusInternalServerError, Err: err}); err != nil &&
		u.Status == http.StatusServiceUnavailable {
		return nil, &web.UnavailableError{Message: u.Message, Err: err}
	}
	return events, err
}

// Model returns the loaded model, or nil.
func (b webBot) Model() *model.Model {
	if cur := b.s.current.Load(); cur != nil {
		return cur.model
	}
	return nil
}

// SetModel puts a retrained model in use.
func (b webBot) SetModel(m *model.Model) { b.s.SetModel(m) }
