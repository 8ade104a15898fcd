package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/lock"
	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/store"
)

// Defaults of Options.
const (
	DefaultPort         = 5005
	DefaultMaxBodyBytes = 1 << 20
	// DefaultMaxTrainBodyBytes caps training and test data sent to the API.
	DefaultMaxTrainBodyBytes = 64 << 20
	DefaultResponseTimeout   = time.Hour
)

// Agent answers user messages; *agent.Agent is the real one.
type Agent interface {
	HandleMessage(ctx context.Context, msg agent.UserMessage) ([]event.Event, error)
}

// Parser understands one message; *pipeline.Model is the real one.
type Parser interface {
	Parse(text string) nlu.Parse
}

// Options configures a Server.
type Options struct {
	// EnableAPI turns on the HTTP API (Rasa's --enable-api).
	EnableAPI bool
	// AuthToken, when set, is accepted as ?token= on the API endpoints.
	AuthToken string
	// JWTSecret, when set, lets API clients authenticate with
	// "Authorization: Bearer <JWT>" signed with it (a public key in PEM for
	// the RS, PS and ES methods).
	JWTSecret string
	// JWTMethod is the JWT signing method (default HS256).
	JWTMethod string
	// Production refuses the API when neither AuthToken nor JWTSecret is
	// set; in development such an API works and a warning is logged.
	Production bool
	// CORS lists the allowed origins ("*" for any); empty allows none.
	// Check them with CheckCORS first.
	CORS []string
	// ModelsDir is the project's models folder: /model/train saves there by
	// default and PUT /model resolves relative paths against it.
	ModelsDir string
	// Credentials is credentials.yml: channel name to settings.
	Credentials map[string]map[string]any
	// Store keeps the conversations.
	Store store.TrackerStore
	// Logger gets request lines and warnings; nil discards them.
	Logger *slog.Logger
	// MaxPredictions caps the actions predicted per message (default 10).
	MaxPredictions int
	// MaxBodyBytes caps request bodies (default 1 MiB).
	MaxBodyBytes int64
	// MaxTrainBodyBytes caps the bodies of /model/train and /model/test/*,
	// which hold a project's data (default 64 MiB, NGINX's limit for them
	// in deploy/nginx.conf).
	MaxTrainBodyBytes int64
	// ResponseTimeout bounds one conversation turn (default one hour).
	ResponseTimeout time.Duration
	// Runner runs custom actions (the action server client); nil means
	// custom actions are logged and produce no events.
	Runner action.Runner
	// NewAgent builds the agent of a model; nil means agent.New.
	NewAgent func(m *model.Model) Agent
	// NewParser returns the parser of a model, nil when it has no NLU
	// part; nil means the model's NLU pipeline.
	NewParser func(m *model.Model) Parser
	Web       *WebConfig // the web app's settings (web.go); nil: development defaults
	// NLG renders responses with the nlg endpoint; nil renders them from
	// the domain.
	NLG action.NLG
	// Lock serialises the turns of one conversation across models and
	// replicas (the lock_store); nil means an in-process lock store.
	Lock lock.Store
	// Ops are the metrics, HTTP limits and shutdown settings (ops.go).
	Ops Ops
	// ErrorDetail puts the cause of a failure, which is otherwise only
	// logged, into error answers (details.error) and the web app's error
	// pages: development, never production.
	ErrorDetail bool
	// DucklingURL, when set, sends the DucklingEntityExtractor of every
	// model served to that Duckling server (PARLEY_DUCKLING_URL).
	DucklingURL string
}

// Server serves one model over HTTP. Create it with New.
type Server struct {
	opts     Options
	log      *slog.Logger
	current  atomic.Pointer[loaded]
	training atomic.Int32
	trainErr atomic.Pointer[error]
	handler  http.Handler
	channels *channels
	jwt      *jwtCheck
	// apiArchives holds the paths of the archives POST /model/train saved
	// (path to true), which the models-folder watcher must not load.
	apiArchives sync.Map
	// choices counts the models chosen through PUT and DELETE /model;
	// chosenAt is when the latest was (unix nanoseconds).
	choices  atomic.Int64
	chosenAt atomic.Int64
}

// loaded is a model with the agent that runs it.
type loaded struct {
	model  *model.Model
	agent  Agent
	parser Parser // nil for a model without NLU
	// conv is the agent's conversation API; nil when the agent is not an
	// *agent.Agent (test fakes).
	conv *agent.Agent
}

// New returns a server without a model; give it one with SetModel or
// StartTraining. It logs one warning per channel in opts.Credentials that
// Parley does not have.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxTrainBodyBytes <= 0 {
		opts.MaxTrainBodyBytes = DefaultMaxTrainBodyBytes
	}
	if opts.ResponseTimeout <= 0 {
		opts.ResponseTimeout = DefaultResponseTimeout
	}
	if opts.Store == nil {
		opts.Store = store.NewMemory()
	}
	if opts.Lock == nil {
		opts.Lock = lock.NewInProcess()
	}
	s := &Server{opts: opts, log: opts.Logger}
	if s.opts.NewAgent == nil {
		s.opts.NewAgent = s.newAgent
	}
	if s.opts.NewParser == nil {
		s.opts.NewParser = modelParser
	}
	s.jwt = newJWTCheck(opts.JWTSecret, opts.JWTMethod)
	s.channels = s.newChannels()
	s.handler = s.routes()
	s.warnOpenAPI()
	return s
}

// Close stops the channels' background work (socket.io connections).
func (s *Server) Close() {
	s.channels.close()
}

func (s *Server) newAgent(m *model.Model) Agent {
	return agent.New(agent.Options{
		Domain:         m.Domain,
		NLU:            m.NLU,
		Policies:       m.Policies,
		Store:          s.opts.Store,
		Logger:         s.log,
		MaxPredictions: s.opts.MaxPredictions,
		Runner:         s.agentRunner(),
		NLG:            s.opts.NLG,
		Lock:           s.opts.Lock,
		ReminderReply:  s.reminderReply,
	})
}

// modelParser returns the model's NLU pipeline, or nil without one.
func modelParser(m *model.Model) Parser {
	if m.NLU == nil {
		return nil
	}
	return m.NLU
}

// SetModel makes m the model that answers from now on. m must be new to
// the server: its NLU pipeline is configured here, before any parse.
func (s *Server) SetModel(m *model.Model) {
	if m.NLU != nil {
		// Duckling's failures are logged; with a bad URL the built-in
		// extractors answer.
		if err := m.NLU.ConfigureDuckling(s.opts.DucklingURL, s.log); err != nil {
			s.log.Error("the Duckling server cannot be used; the built-in extractors answer",
				"model", m.Path, "error", err.Error())
		}
	}
	l := &loaded{model: m, agent: s.opts.NewAgent(m), parser: s.opts.NewParser(m)}
	l.conv, _ = l.agent.(*agent.Agent)
	s.observe(l)
	s.observeModel(m)
	if old := s.current.Swap(l); old != nil && old.conv != nil {
		old.conv.Close() // its reminders move to the new agent
	}
	if l.conv != nil {
		go s.loadReminders(l.conv)
	}
	s.log.Info("model loaded", "model", m.Path, "model_id", m.Metadata.ModelID)
	switch {
	case m.NLU == nil:
		s.log.Warn("the model has no NLU part (it was trained with `parley train core`): "+
			"messages are not understood, only /intent payloads; train a full model with "+
			"`parley train`", "model", m.Path)
	case m.Policies == nil:
		s.log.Warn("the model has no dialogue part (it was trained with `parley train nlu`): "+
			"it parses but cannot chat; train a full model with `parley train`", "model", m.Path)
	}
}

// TrainedByAPI reports whether POST /model/train saved the archive at path.
// Rasa loads no such model until PUT /model asks for it, so a watcher of
// the models folder should leave it alone.
func (s *Server) TrainedByAPI(path string) bool {
	_, ok := s.apiArchives.Load(absPath(path))
	return ok
}

// Choices counts the models chosen through the API (PUT and DELETE
// /model). A watcher of the models folder that sees it change should take
// the folder as it is now as the state the choice was made in, so that an
// archive that appeared just before does not override the choice.
func (s *Server) Choices() int64 { return s.choices.Load() }

// ChosenAt is when the latest model was chosen through the API (the zero
// time before any choice).
func (s *Server) ChosenAt() time.Time {
	if n := s.chosenAt.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// choose records a choice of model through the API.
func (s *Server) choose() {
	s.chosenAt.Store(time.Now().UnixNano())
	s.choices.Add(1)
}

// UnloadModel drops the model; chat and API requests get 409 until another
// one is loaded.
func (s *Server) UnloadModel() {
	if old := s.current.Swap(nil); old != nil {
		if old.conv != nil {
			old.conv.Close() // stored reminders wait for the next model
		}
		s.log.Info("model unloaded", "model", old.model.Path)
	}
}

// StartTraining runs train in the background and loads its model when it
// is done; until then chat and parse requests get 409.
func (s *Server) StartTraining(ctx context.Context,
	train func(context.Context) (*model.Model, error)) {
	s.training.Add(1)
	go func() {
		defer s.training.Add(-1)
		m, err := train(ctx)
		if err != nil {
			s.trainErr.Store(&err)
			s.log.Error("training failed; chat and parse requests will be refused",
				"error", err.Error())
			return
		}
		s.trainErr.Store(nil)
		s.SetModel(m)
	}()
}

// Training reports how many trainings are running.
func (s *Server) Training() int { return int(s.training.Load()) }

// ready returns the loaded model, or a 409 error saying why there is none.
func (s *Server) ready() (*loaded, error) {
	if l := s.current.Load(); l != nil {
		return l, nil
	}
	e := &Error{Status: http.StatusConflict, Reason: ReasonConflict, Err: ErrNoModel,
		Message: "No model is loaded. Train one with `parley train` (the models folder is " +
			"watched), load an archive with PUT /model, or start `parley run` with -m " +
			"pointing at a model archive."}
	if s.opts.Ops.NoModelHint != "" {
		e.Message = s.opts.Ops.NoModelHint
	}
	switch {
	case s.training.Load() > 0:
		e.Err = ErrTraining
		e.Message = "The model is being trained and is not ready yet; " +
			"try again in a few seconds."
	case s.trainErr.Load() != nil:
		e.Message = "No model is loaded: training it failed (" + (*s.trainErr.Load()).Error() +
			"). Fix the project, then restart the server."
	}
	return nil, e
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers requests on ln until ctx ends, then shuts down gracefully,
// letting running requests finish for a few seconds.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: orDefault(s.opts.Ops.ReadHeaderTimeout, 10*time.Second),
		ReadTimeout:       orDefault(s.opts.Ops.ReadTimeout, time.Minute),
		WriteTimeout:      s.opts.ResponseTimeout + time.Minute,
		IdleTimeout:       orDefault(s.opts.Ops.IdleTimeout, 2*time.Minute),
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving HTTP: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(),
		orDefault(s.opts.Ops.ShutdownTimeout, DefaultShutdownTimeout))
	defer cancel()
	s.Close()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
