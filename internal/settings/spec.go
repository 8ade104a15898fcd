package settings

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/parley-chat/parley/internal/logging"
)

// spec describes one setting: where it may come from and how it is read.
type spec struct {
	name string
	env  string
	// flags that set it, strongest first; flagValue turns a flag's raw
	// text into the setting's text (nil: as it is).
	flags     []string
	flagValue func(flag, raw string) string
	// def is the default; devDef, when set, replaces it in development.
	def    string
	devDef string
	// secret values are masked and may come from <env>_FILE.
	secret bool
	// path values are made absolute against the project folder.
	path  bool
	doc   string
	apply func(s *Settings, text string) error
}

// specs lists every setting in the order `parley config` prints them.
var specs = []spec{
	{name: "env", env: "PARLEY_ENV", def: string(Development),
		doc: "development or production", apply: setMode},
	{name: "secret_key", env: "PARLEY_SECRET_KEY", secret: true,
		doc:   "signs the browser-session and login cookies",
		apply: func(s *Settings, v string) error { s.SecretKey = v; return nil }},
	{name: "allowed_hosts", env: "PARLEY_ALLOWED_HOSTS", devDef: "localhost,127.0.0.1,::1",
		doc:   "host names the web app answers to, comma-separated",
		apply: func(s *Settings, v string) error { s.AllowedHosts = splitList(v); return nil }},
	{name: "debug", env: "PARLEY_DEBUG", def: "false",
		doc:   "error detail in pages",
		apply: boolSetter(func(s *Settings) *bool { return &s.Debug })},
	{name: "enable_api", env: "PARLEY_ENABLE_API", flags: []string{"enable-api"}, def: "false",
		doc:   "serve the Rasa HTTP API",
		apply: boolSetter(func(s *Settings) *bool { return &s.EnableAPI })},
	{name: "auth_token", env: "PARLEY_AUTH_TOKEN", flags: []string{"auth-token"}, secret: true,
		doc:   "token the HTTP API requires",
		apply: func(s *Settings, v string) error { s.AuthToken = v; return nil }},
	{name: "jwt_secret", env: "PARLEY_JWT_SECRET", flags: []string{"jwt-secret"}, secret: true,
		doc:   "key that verifies API JSON web tokens",
		apply: func(s *Settings, v string) error { s.JWTSecret = v; return nil }},
	{name: "jwt_method", env: "PARLEY_JWT_METHOD", flags: []string{"jwt-method"}, def: "HS256",
		doc:   "JWT signing algorithm",
		apply: func(s *Settings, v string) error { s.JWTMethod = v; return nil }},
	{name: "log_level", env: "PARLEY_LOG_LEVEL",
		flags: []string{"log-level", "debug", "vv", "verbose", "quiet"}, flagValue: levelFlag,
		def: "info", doc: "debug, info, warning or error", apply: setLevel},
	{name: "log_format", env: "PARLEY_LOG_FORMAT", devDef: logging.FormatText,
		def: logging.FormatJSON, doc: "text or json", apply: setLogFormat},
	{name: "shutdown_timeout", env: "PARLEY_SHUTDOWN_TIMEOUT", def: DefaultShutdownTimeout.String(),
		doc:   "time turns in flight get to finish on SIGTERM",
		apply: durationSetter(func(s *Settings) *time.Duration { return &s.ShutdownTimeout })},
	{name: "data_dir", env: "PARLEY_DATA_DIR", flags: []string{"data-dir"}, def: ".parley",
		path: true, doc: "folder of the database",
		apply: func(s *Settings, v string) error { s.DataDir = v; return nil }},
	{name: "models", env: "PARLEY_MODELS", flags: []string{"model"}, def: "models", path: true,
		doc:   "models folder, or one model archive",
		apply: func(s *Settings, v string) error { s.Models = v; return nil }},
	{name: "metrics_token", env: "PARLEY_METRICS_TOKEN", secret: true,
		doc:   "token /metrics requires (production serves no metrics without one)",
		apply: func(s *Settings, v string) error { s.MetricsToken = v; return nil }},
	{name: "port", env: "PARLEY_PORT", flags: []string{"port"}, def: "5005",
		doc: "port to listen on", apply: setPort},
	{name: "interface", env: "PARLEY_INTERFACE", flags: []string{"interface"}, def: "0.0.0.0",
		doc:   "address to listen on",
		apply: func(s *Settings, v string) error { s.Interface = v; return nil }},
	{name: "cors", env: "PARLEY_CORS", flags: []string{"cors"},
		doc: "browser origins allowed to call the server", apply: setCORS},
	{name: "max_body_bytes", env: "PARLEY_MAX_BODY_BYTES", def: "1048576",
		doc: "largest request body; larger ones get 413", apply: setMaxBody},
	{name: "read_header_timeout", env: "PARLEY_READ_HEADER_TIMEOUT", def: "10s",
		doc:   "time a client gets to send the request headers",
		apply: durationSetter(func(s *Settings) *time.Duration { return &s.ReadHeaderTimeout })},
	{name: "read_timeout", env: "PARLEY_READ_TIMEOUT", def: "1m",
		doc:   "time a client gets to send a whole request",
		apply: durationSetter(func(s *Settings) *time.Duration { return &s.ReadTimeout })},
	{name: "idle_timeout", env: "PARLEY_IDLE_TIMEOUT", def: "2m",
		doc:   "time an idle keep-alive connection stays open",
		apply: durationSetter(func(s *Settings) *time.Duration { return &s.IdleTimeout })},
	{name: "action_endpoint", env: "PARLEY_ACTION_ENDPOINT",
		doc:   "action server webhook URL",
		apply: func(s *Settings, v string) error { s.ActionEndpoint = v; return nil }},
	{name: "tracker_store", env: "PARLEY_STORE", flags: []string{"store"}, def: "sqlite",
		doc:   "where conversations are kept",
		apply: func(s *Settings, v string) error { s.TrackerStore = v; return nil }},
	{name: "trusted_proxies", env: "PARLEY_TRUSTED_PROXIES", devDef: "loopback", def: "loopback",
		doc: "proxies whose X-Forwarded-* headers are believed (CIDRs or addresses)",
		apply: func(s *Settings, v string) error {
			if v != "loopback" {
				s.TrustedProxies = splitList(v)
			}
			return nil
		}},
	{name: "embed_origins", env: "PARLEY_EMBED_ORIGINS",
		doc:   "sites that may embed the chat page in a frame",
		apply: func(s *Settings, v string) error { s.EmbedOrigins = splitList(v); return nil }},
	{name: "session_idle", env: "PARLEY_SESSION_IDLE", def: "14d",
		doc:   "how long an unused browser session lasts",
		apply: func(s *Settings, v string) error { s.SessionIdle = v; return nil }},
	{name: "duckling_url", env: "PARLEY_DUCKLING_URL",
		doc:   "a Duckling server for DucklingEntityExtractor",
		apply: func(s *Settings, v string) error { s.DucklingURL = v; return nil }},
	{name: "chat_greeting", env: "PARLEY_CHAT_GREETING",
		doc: "message that opens each web chat, e.g. /greet (its user message is hidden)",
		apply: func(s *Settings, v string) error {
			s.ChatGreeting = strings.TrimSpace(v)
			return nil
		}},
	{name: "chat_title", env: "PARLEY_CHAT_TITLE", def: "Chat",
		doc:   "heading of the chat page",
		apply: func(s *Settings, v string) error { s.ChatTitle = strings.TrimSpace(v); return nil }},
	{name: "channels", doc: "channels of credentials.yml (the REST channel is always on)",
		apply: func(s *Settings, v string) error { s.Channels = splitList(v); return nil }},
}

// defaultFor returns the default text of sp in mode m.
func (sp spec) defaultFor(m Mode) string {
	if m == Development && sp.devDef != "" {
		return sp.devDef
	}
	return sp.def
}

// resolvePath makes text absolute against dir.
func resolvePath(dir, text string) string {
	if text == "" || filepath.IsAbs(text) {
		return text
	}
	return filepath.Join(dir, text)
}

func setMode(s *Settings, v string) error {
	switch m := Mode(strings.ToLower(strings.TrimSpace(v))); m {
	case Development, Production:
		s.Mode = m
		return nil
	}
	return fmt.Errorf("%q is not a mode: use development or production", v)
}

func setLevel(s *Settings, v string) error {
	level, err := logging.ParseLevel(v)
	s.LogLevel = level
	return err
}

func setLogFormat(s *Settings, v string) error {
	f, err := logging.ParseFormat(v)
	s.LogFormat = f
	return err
}

// levelFlag turns the logging flags into a level name.
func levelFlag(flag, raw string) string {
	switch flag {
	case "debug", "vv":
		return "debug"
	case "quiet":
		return "warning"
	case "verbose":
		if n, _ := strconv.Atoi(raw); n >= 2 {
			return "debug"
		}
		return "info"
	}
	return raw
}

func boolSetter(field func(*Settings) *bool) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "1", "true", "yes", "on":
			*field(s) = true
		case "", "0", "false", "no", "off":
			*field(s) = false
		default:
			return fmt.Errorf("%q is not true or false", v)
		}
		return nil
	}
}

func durationSetter(field func(*Settings) *time.Duration) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		d, err := parseDuration(v)
		*field(s) = d
		return err
	}
}

// parseDuration reads "8s", "1m30s" or a plain number of seconds.
func parseDuration(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
		return time.Duration(secs * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration: write seconds (8) or a Go duration (8s, 1m)", v)
	}
	return d, nil
}

func setPort(s *Settings, v string) error {
	port, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || port < 0 || port > 65535 {
		return fmt.Errorf("%q is not a port number (0 to 65535)", v)
	}
	s.Port = port
	return nil
}

func setMaxBody(s *Settings, v string) error {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n <= 0 {
		return fmt.Errorf("%q is not a positive number of bytes", v)
	}
	s.MaxBodyBytes = n
	return nil
}
