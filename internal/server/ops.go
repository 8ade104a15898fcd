package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/actionclient"
	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/lock"
	"github.com/parley-chat/parley/internal/logging"
	"github.com/parley-chat/parley/internal/metrics"
	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/modelsync"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/store"
)

// ReasonUnavailable is the reason of a 503: a database or lock store that
// cannot be reached.
const ReasonUnavailable = "ServiceUnavailable"

// DefaultShutdownTimeout is how long Serve lets requests in flight finish
// after its context ends, when Ops.ShutdownTimeout is not set.
const DefaultShutdownTimeout = 8 * time.Second

// Ops are the operational settings of a served process: metrics, the
// HTTP server's limits and the graceful shutdown. The zero value serves no
// metrics and uses the defaults.
type Ops struct {
	// Metrics records requests, turns, parses, actions and the model; nil
	// records nothing.
	Metrics *metrics.Metrics
	// MetricsHandler serves GET /metrics; nil serves none.
	MetricsHandler http.Handler
	// ShutdownTimeout bounds how long turns in flight get to finish once
	// Serve's context ends (default DefaultShutdownTimeout).
	ShutdownTimeout time.Duration
	// ReadHeaderTimeout, ReadTimeout and IdleTimeout are the HTTP server's
	// limits (defaults 10 s, 1 min, 2 min).
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	IdleTimeout       time.Duration
	// NoModelHint replaces the answer's advice when no model is loaded and
	// none is being trained (production, which never trains at start).
	NoModelHint string
	// ModelSync is the model server pull and the replica registry, shown
	// on /status; nil shows neither.
	ModelSync *modelsync.Sync
}

// orDefault returns d when v is not positive.
func orDefault(v, d time.Duration) time.Duration {
	if v <= 0 {
		return d
	}
	return v
}

// withRequestID puts the request id where the logger (a request_id on
// every line logged with ctx) and the action-server client (X-Request-ID)
// find it.
func withRequestID(ctx context.Context, id string) context.Context {
	return actionclient.WithRequestID(logging.WithRequestID(ctx, id), id)
}

// webCookiePath reports whether path is a web-app route that uses the
// browser's session cookie: --cors never opens those to other origins.
func webCookiePath(path string) bool {
	for _, p := range []string{"/api/", "/embed/api/", "/inspect", "/login"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// hostGuard is guardHosts for a server with web settings (what `parley
// run` builds). Without them (tests, programs embedding the server) there
// are no allowed hosts to check, so the API and channels stay open; the
// web app's own routes are guarded either way.
func (s *Server) hostGuard(h http.Handler) http.Handler {
	if s.opts.Web == nil {
		return h
	}
	return s.guardHosts(h)
}

// mountOps adds /healthz, /readyz and, when configured, /metrics.
func (s *Server) mountOps(mux *http.ServeMux) {
	mux.Handle("GET /healthz", s.handle(s.healthz))
	mux.Handle("GET /readyz", s.handle(s.readyz))
	if s.opts.Ops.MetricsHandler != nil {
		mux.Handle("GET /metrics", s.opts.Ops.MetricsHandler)
	}
}

// instrument counts and times the requests of h when metrics are on. It
// wraps the mux itself, so that the route label is the matched pattern.
func (s *Server) instrument(h http.Handler) http.Handler {
	if s.opts.Ops.Metrics == nil {
		return h
	}
	return s.opts.Ops.Metrics.Middleware(h)
}

// healthz answers GET /healthz: the process is alive.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// readyBody is the answer of GET /readyz.
type readyBody struct {
	Status       string               `json:"status"`
	Model        readyModel           `json:"model"`
	Database     readyPart            `json:"database"`
	ActionServer *actionclient.Status `json:"action_server,omitempty"`
}

// readyModel says whether a model is loaded.
type readyModel struct {
	Loaded   bool   `json:"loaded"`
	ModelID  string `json:"model_id,omitempty"`
	Training int    `json:"training"`
}

// readyPart is the state of one dependency.
type readyPart struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// readinessProbe is the conversation id /readyz loads to check the store.
const readinessProbe = "__parley_readiness_probe__"

// readyz answers GET /readyz: 503 without a model or without a database.
// The action server's state is shown but never makes it fail: the bot
// still answers without it.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	body := readyBody{Status: "ok", Database: readyPart{OK: true},
		ActionServer: actionclient.StatusOf(s.opts.Runner)}
	body.Model.Training = s.Training()
	if cur := s.current.Load(); cur != nil {
		body.Model.Loaded, body.Model.ModelID = true, cur.model.Metadata.ModelID
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.opts.Store.Load(ctx, readinessProbe); err != nil {
		body.Database = readyPart{Error: err.Error()}
	}
	status := http.StatusOK
	if !body.Model.Loaded || !body.Database.OK {
		body.Status, status = "unavailable", http.StatusServiceUnavailable
	}
	writeJSON(w, status, body)
	return nil
}

// statusOps adds the model's fingerprint, the model server's state and
// the replicas seen to a /status answer.
func (s *Server) statusOps(body *statusBody, cur *loaded) {
	if cur != nil {
		fp := cur.model.Metadata.Fingerprint
		body.Fingerprint = &fp
	}
	body.Status = s.opts.Ops.ModelSync.Status()
}

// Model returns the model in use, or nil.
func (s *Server) Model() *model.Model {
	if cur := s.current.Load(); cur != nil {
		return cur.model
	}
	return nil
}

// observeModel records a newly loaded model in the metrics.
func (s *Server) observeModel(m *model.Model) {
	if s.opts.Ops.Metrics == nil {
		return
	}
	s.opts.Ops.Metrics.SetModel(metrics.ModelInfo{ID: m.Metadata.ModelID,
		Name: m.Path, Language: m.Metadata.Language, ParleyVersion: m.Metadata.ParleyVersion,
		LoadedAt: time.Now()})
}

// observe wraps the agent and parser of l so that turns and parses are
// recorded in the metrics. The conversation API (l.conv) stays the agent.
func (s *Server) observe(l *loaded) {
	m := s.opts.Ops.Metrics
	if m == nil {
		return
	}
	l.agent = observedAgent{Agent: l.agent, m: m}
	if l.parser != nil {
		l.parser = observedParser{Parser: l.parser, m: m}
	}
}

// observedAgent records each turn's duration and outcome.
type observedAgent struct {
	Agent
	m *metrics.Metrics
}

func (o observedAgent) HandleMessage(ctx context.Context, msg agent.UserMessage) (
	[]event.Event, error) {
	start := time.Now()
	events, err := o.Agent.HandleMessage(ctx, msg)
	channel := msg.InputChannel
	if channel == "" {
		channel = "unknown"
	}
	o.m.ObserveTurn(channel, time.Since(start), err)
	return events, err
}

// observedParser records each parse's duration.
type observedParser struct {
	Parser
	m *metrics.Metrics
}

func (o observedParser) Parse(text string) (p nlu.Parse) {
	start := time.Now()
	p = o.Parser.Parse(text)
	o.m.ObserveParse(time.Since(start))
	return p
}

// agentRunner is the Runner the agents get: s.opts.Runner, timed in the
// metrics when they are on.
func (s *Server) agentRunner() action.Runner {
	if s.opts.Runner == nil || s.opts.Ops.Metrics == nil {
		return s.opts.Runner
	}
	return observedRunner{r: s.opts.Runner, m: s.opts.Ops.Metrics}
}

// observedRunner records each custom action's duration and outcome.
type observedRunner struct {
	r action.Runner
	m *metrics.Metrics
}

func (o observedRunner) Run(ctx context.Context, name string, c *action.Context) (
	[]event.Event, error) {
	start := time.Now()
	events, err := o.r.Run(ctx, name, c)
	o.m.ObserveAction(name, metrics.KindCustom, time.Since(start), err)
	return events, err
}

// unavailable turns a 500 caused by a tracker or lock store that cannot
// be reached into a 503 saying so; other errors are returned as they are.
func unavailable(e *Error) *Error {
	if e.Status != http.StatusInternalServerError ||
		!(errors.Is(e.Err, store.ErrUnavailable) || errors.Is(e.Err, lock.ErrUnavailable)) {
		return e
	}
	what := "The conversation database"
	if !errors.Is(e.Err, store.ErrUnavailable) {
		what = "The lock store (lock_store in endpoints.yml)"
	}
	return &Error{Status: http.StatusServiceUnavailable, Reason: ReasonUnavailable,
		Message: what + " cannot be reached right now; try again in a moment. Parley " +
			"reconnects by itself when it is back.", Err: e.Err}
}
