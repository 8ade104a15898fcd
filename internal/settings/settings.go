package settings

import (
	"log/slog"
	"time"
)

// Mode is how Parley runs: Development or Production.
type Mode string

// The modes. PARLEY_ENV chooses one; Development is the default.
const (
	Development Mode = "development"
	Production  Mode = "production"
)

// Defaults that the code and the documentation share.
const (
	// DefaultShutdownTimeout is how long a stopping server lets turns in
	// flight finish: below Docker's default grace period of 10 s, so that
	// the process exits on its own before it is killed.
	DefaultShutdownTimeout = 8 * time.Second
	// DockerGracePeriod is how long `docker stop` waits before SIGKILL
	// unless stop_grace_period says otherwise.
	DockerGracePeriod = 10 * time.Second
	// MinSecretKeyBytes is the shortest secret key production accepts.
	MinSecretKeyBytes = 32
	// MinTokenBytes is the shortest API or metrics token production
	// accepts.
	MinTokenBytes = 16
)

// Settings is Parley's effective configuration. Load fills it; every field
// has a value, from a flag, the environment, a file or a default.
type Settings struct {
	// Mode is development or production (PARLEY_ENV).
	Mode Mode
	// SecretKey signs the browser-session and login cookies.
	SecretKey string
	// AllowedHosts lists the host names the web app answers to; a leading
	// dot allows every subdomain.
	AllowedHosts []string
	// Debug shows error detail in pages; never on in production, where it
	// is refused (development shows the detail anyway).
	Debug bool
	// EnableAPI serves Rasa's HTTP API (--enable-api).
	EnableAPI bool
	// AuthToken is the API token (--auth-token); empty means none.
	AuthToken string
	// JWTSecret verifies API JSON web tokens (--jwt-secret); empty means
	// none.
	JWTSecret string
	// JWTMethod is the JWT signing algorithm (--jwt-method).
	JWTMethod string
	// LogLevel is the lowest level logged.
	LogLevel slog.Level
	// LogFormat is "text" or "json" (by default text in development, JSON
	// in production).
	LogFormat string
	// ShutdownTimeout bounds the graceful shutdown on SIGTERM.
	ShutdownTimeout time.Duration
	// DataDir is the absolute path of the folder holding the database.
	DataDir string
	// Models is the absolute path of the models folder, or of one archive.
	Models string
	// MetricsToken protects /metrics; in production /metrics is off
	// without one.
	MetricsToken string
	// Port and Interface are where the server listens.
	Port      int
	Interface string
	// CORS lists the browser origins allowed to call the server.
	CORS []string
	// MaxBodyBytes bounds request bodies; larger ones get 413.
	MaxBodyBytes int64
	// ReadHeaderTimeout, ReadTimeout and IdleTimeout are the HTTP
	// server's limits.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	IdleTimeout       time.Duration
	// ActionEndpoint is the action server's webhook URL (endpoints.yml
	// action_endpoint.url, or PARLEY_ACTION_ENDPOINT).
	ActionEndpoint string
	// TrackerStore is the kind of store conversations are kept in.
	TrackerStore string
	// TrustedProxies lists the proxies whose X-Forwarded-* headers the web
	// app believes; empty means loopback only.
	TrustedProxies []string
	// EmbedOrigins lists the sites that may frame the chat page.
	EmbedOrigins []string
	// SessionIdle is how long an unused browser session lasts, as written
	// ("14d", "36h"); the web app reads it.
	SessionIdle string
	// DucklingURL is a Duckling server's address, or "".
	DucklingURL string
	// ChatGreeting is the message sent to open each web chat (e.g.
	// "/greet"), or "" for none.
	ChatGreeting string
	// ChatTitle is the heading of the chat page ("" means "Chat").
	ChatTitle string
	// Channels lists the channels of credentials.yml, sorted.
	Channels []string
	// InContainer is true when Parley runs inside a container.
	InContainer bool

	dir    string
	values []Value
}

// Production reports whether the mode is production.
func (s *Settings) Production() bool { return s.Mode == Production }

// ShowErrorDetail reports whether error answers and pages show the cause
// that is otherwise only logged: in development, never in production.
func (s *Settings) ShowErrorDetail() bool { return !s.Production() }

// MetricsEnabled reports whether /metrics should be served: always in
// development, only with a token in production.
func (s *Settings) MetricsEnabled() bool {
	return !s.Production() || s.MetricsToken != ""
}

// Values returns every setting with its source, in a stable order. Secret
// values are kept; print them with Value.Shown, which masks them.
func (s *Settings) Values() []Value { return append([]Value(nil), s.values...) }

// Lookup returns the setting called name ("secret_key", "port", ...).
func (s *Settings) Lookup(name string) (Value, bool) {
	for _, v := range s.values {
		if v.Name == name {
			return v, true
		}
	}
	return Value{}, false
}
