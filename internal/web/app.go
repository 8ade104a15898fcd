package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/store"
)

// Bot is what the web app needs of the server: a turn, and the model in
// use. The server's adapter is the real one.
type Bot interface {
	// HandleMessage runs one turn and returns the bot events it produced.
	// An error wrapping ErrUnavailable (an *UnavailableError) is shown to
	// the user as it is; any other is logged and reported vaguely.
	HandleMessage(ctx context.Context, msg agent.UserMessage) ([]event.Event, error)
	// Model returns the model in use, or nil when none is loaded.
	Model() *model.Model
	// SetModel makes m the model in use (after a retrain).
	SetModel(m *model.Model)
}

// UnavailableError says why the bot cannot answer now; Message is shown to
// the user. It matches ErrUnavailable.
type UnavailableError struct {
	Message string
	// Err is the cause, for the log; nil when Message says it all.
	Err error
}

func (e *UnavailableError) Error() string { return e.Message }

// Unwrap returns the cause.
func (e *UnavailableError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrUnavailable) true.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// Options builds an App.
type Options struct {
	Config
	// Bot answers messages.
	Bot Bot
	// Trackers holds the conversations, for the history and the inspector.
	Trackers store.TrackerStore
	// Logger gets warnings and the login lines; nil discards them.
	Logger *slog.Logger
	// Version is Parley's version, shown on the pages.
	Version string
}

// App is the web app. Create it with New and add its routes to a mux
// with Mount.
type App struct {
	cfg       Config
	bot       Bot
	trackers  store.TrackerStore
	store     Store
	log       *slog.Logger
	version   string
	signer    signer
	guard     *HostGuard
	csrf      *http.CrossOriginProtection
	pages     *pages
	throttle  *loginThrottle
	retrain   *retrainJob
	lastPurge atomic.Int64
	chatFrame string
}

// New checks opts and returns the app. Without a secret key it makes a
// random one (sessions then end when the process stops) and says so.
func New(opts Options) (*App, error) {
	cfg := opts.Config.withDefaults()
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.SecretKey == nil {
		cfg.SecretKey = []byte(rand.Text() + rand.Text())
		log.Debug("no secret key is set: browser sessions end when the server stops "+
			"(set PARLEY_SECRET_KEY to keep them)", "setting", EnvSecretKey)
	}
	pg, err := loadPages(opts.Version)
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, bot: opts.Bot, trackers: opts.Trackers, log: log,
		version: opts.Version, signer: newSigner(cfg.SecretKey),
		guard: NewHostGuard(cfg, log), pages: pg, throttle: newLoginThrottle(cfg.Clock),
		retrain: &retrainJob{}, chatFrame: chatFrameAncestors(cfg.EmbedOrigins)}
	a.store = Store(NewMemoryStore())
	if cfg.DB != nil {
		a.store = NewSQLStore(cfg.DB)
	}
	if a.trackers == nil {
		a.trackers = store.NewMemory()
	}
	a.csrf = http.NewCrossOriginProtection()
	a.csrf.SetDenyHandler(http.HandlerFunc(a.denyCrossOrigin))
	return a, nil
}

// chatFrameAncestors is the frame-ancestors source list of chat pages.
func chatFrameAncestors(origins []string) string {
	list := []string{"'self'"}
	for _, o := range origins {
		if canon, err := parseOrigin(o); err == nil {
			list = append(list, canon)
		}
	}
	return strings.Join(list, " ")
}

// Guard returns the host guard; wrap the whole server with its Wrap.
func (a *App) Guard() *HostGuard { return a.guard }

// Store returns where the app keeps sessions and users.
func (a *App) Store() Store { return a.store }

// Mount adds the app's routes to mux: /, /embed, /static/, /api/,
// /embed/api/ and /inspect.
func (a *App) Mount(mux *http.ServeMux) {
	a.route(mux, "GET /{$}", a.chatFrame, a.page(a.chatPage(false)))
	a.route(mux, "GET /embed", a.chatFrame, a.page(a.chatPage(true)))
	a.route(mux, "GET /static/{file}", "'none'", a.page(a.static))
	a.mountChatAPI(mux, "/api", chatCookie)
	a.mountChatAPI(mux, "/embed/api", embedCookie)
	a.mountInspector(mux)
}

// route adds h behind the host guard, the cross-origin protection and the
// security headers, with frame as the frame-ancestors of its pages.
func (a *App) route(mux *http.ServeMux, pattern, frame string, h http.Handler) {
	mux.Handle(pattern, a.guard.Wrap(a.csrf.Handler(withHeaders(frame, h))))
}

// denyCrossOrigin answers a request refused by the cross-origin
// protection: 403, and one debug line.
func (a *App) denyCrossOrigin(w http.ResponseWriter, r *http.Request) {
	a.log.Debug("refused a cross-origin request", "method", r.Method, "path", r.URL.Path,
		"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
	msg := "This request came from another site, so it was refused. Use the chat page itself."
	if strings.HasPrefix(r.URL.Path, "/inspect") {
		msg = "This request came from another site, so it was refused. Use the inspector " +
			"itself, at /inspect on this server."
	}
	if strings.Contains(r.URL.Path, "/api/") {
		writeJSON(w, http.StatusForbidden, apiErrorBody{Error: msg})
		return
	}
	http.Error(w, "Forbidden: "+msg, http.StatusForbidden)
}

// requestLog returns the attributes that tie a log line to its request.
func requestLog(w http.ResponseWriter, r *http.Request) []any {
	return []any{"request_id", w.Header().Get("X-Request-ID"), "path", r.URL.Path}
}

// httpError is a handler error: status and message for the user, err for
// the log.
type httpError struct {
	status  int
	message string
	err     error
}

func (e *httpError) Error() string {
	if e.err != nil {
		return fmt.Sprintf("%d %s: %v", e.status, e.message, e.err)
	}
	return fmt.Sprintf("%d %s", e.status, e.message)
}

func (e *httpError) Unwrap() error { return e.err }

// userError returns an error shown to the user as it is.
func userError(status int, message string) *httpError {
	return &httpError{status: status, message: message}
}
