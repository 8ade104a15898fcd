package settings

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
)

// Problem is one setting that production mode refuses.
type Problem struct {
	// Env is the variable (or flag) to change.
	Env string
	// Why says what is wrong.
	Why string
	// Fix is an example of a good setting.
	Fix string
}

// String is the problem on one line.
func (p Problem) String() string { return p.Env + ": " + p.Why + "; fix: " + p.Fix }

// ProductionError lists every setting production refuses. It wraps
// ErrProduction.
type ProductionError struct{ Problems []Problem }

// Error lists the problems, one line each.
func (e *ProductionError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "production mode (PARLEY_ENV=production) refuses to start: "+
		"%d setting(s) to fix:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  - " + p.String())
	}
	return b.String()
}

// Unwrap returns ErrProduction.
func (e *ProductionError) Unwrap() error { return ErrProduction }

const genSecret = "openssl rand -hex 32"

// CheckProduction returns a *ProductionError listing every setting that is
// unsafe to serve with in production, or nil when there is none. It checks
// whatever the mode; callers run it when Production() is true.
func (s *Settings) CheckProduction() error {
	var ps []Problem
	ps = append(ps, s.checkSecretKey()...)
	ps = append(ps, s.checkAllowedHosts()...)
	if s.Debug {
		ps = append(ps, Problem{"PARLEY_DEBUG", "debug is on: error pages would show " +
			"internal detail to visitors", "unset PARLEY_DEBUG or set PARLEY_DEBUG=false"})
	}
	ps = append(ps, s.checkAPI()...)
	if s.MetricsToken != "" && len(s.MetricsToken) < MinTokenBytes {
		ps = append(ps, Problem{"PARLEY_METRICS_TOKEN", fmt.Sprintf("is %d bytes, "+
			"shorter than %d", len(s.MetricsToken), MinTokenBytes),
			"PARLEY_METRICS_TOKEN=$(" + genSecret + ")"})
	}
	if len(ps) == 0 {
		return nil
	}
	return &ProductionError{Problems: ps}
}

func (s *Settings) checkSecretKey() []Problem {
	const env = "PARLEY_SECRET_KEY"
	fix := "PARLEY_SECRET_KEY=$(" + genSecret + "), or with Docker secrets " +
		"PARLEY_SECRET_KEY_FILE=/run/secrets/parley_secret_key"
	switch {
	case s.SecretKey == "":
		return []Problem{{env, "is not set: it signs the browser-session and login cookies", fix}}
	case len(s.SecretKey) < MinSecretKeyBytes:
		return []Problem{{env, fmt.Sprintf("is %d bytes, shorter than %d", len(s.SecretKey),
			MinSecretKeyBytes), fix}}
	}
	if why := weakSecret(s.SecretKey); why != "" {
		return []Problem{{env, why, fix}}
	}
	return nil
}

func (s *Settings) checkAllowedHosts() []Problem {
	const env = "PARLEY_ALLOWED_HOSTS"
	fix := "PARLEY_ALLOWED_HOSTS=chat.example.com (the names in your URL, comma-separated)"
	if len(s.AllowedHosts) == 0 {
		return []Problem{{env, "is empty: no request would be answered", fix}}
	}
	var ps []Problem
	for _, h := range s.AllowedHosts {
		switch {
		case h == "*":
			ps = append(ps, Problem{env, `contains "*": any Host header would be accepted, ` +
				"which lets forged links and cache poisoning use your name", fix})
		case strings.Contains(h, "/"):
			ps = append(ps, Problem{env, fmt.Sprintf("%q is a URL, not a host name", h),
				"write only the name, without scheme or path: " + fix})
		case strings.HasPrefix(h, "*."):
			ps = append(ps, Problem{env, fmt.Sprintf("%q would match only itself: a "+
				"wildcard is written with a leading dot", h),
				fmt.Sprintf("PARLEY_ALLOWED_HOSTS=%s (the domain and all its subdomains)",
					h[1:])})
		case hasPort(h):
			ps = append(ps, Problem{env, fmt.Sprintf("%q has a port: hosts are matched "+
				"without their port", h), "write the name alone: " + fix})
		}
	}
	return ps
}

// hasPort reports whether h is host:port ("[::1]" and "::1" are not).
func hasPort(h string) bool {
	_, _, err := net.SplitHostPort(h)
	return err == nil
}

func (s *Settings) checkAPI() []Problem {
	var ps []Problem
	if s.EnableAPI && s.AuthToken == "" && s.JWTSecret == "" {
		ps = append(ps, Problem{"PARLEY_AUTH_TOKEN", "the HTTP API is enabled without a token " +
			"or JWT secret: anyone could replace the model or read conversations",
			"PARLEY_AUTH_TOKEN_FILE=/run/secrets/parley_auth_token (or PARLEY_JWT_SECRET), " +
				"or turn the API off"})
	}
	if t := s.AuthToken; t != "" && (len(t) < MinTokenBytes || weakSecret(t) != "") {
		ps = append(ps, Problem{"PARLEY_AUTH_TOKEN", fmt.Sprintf("is weak (%d bytes; at least "+
			"%d random ones needed)", len(t), MinTokenBytes),
			"PARLEY_AUTH_TOKEN=$(" + genSecret + ")"})
	}
	hmac := strings.HasPrefix(strings.ToUpper(s.JWTMethod), "HS")
	if j := s.JWTSecret; j != "" && hmac && (len(j) < MinSecretKeyBytes || weakSecret(j) != "") {
		ps = append(ps, Problem{"PARLEY_JWT_SECRET", fmt.Sprintf("is weak for %s (%d bytes; "+
			"at least %d random ones needed)", s.JWTMethod, len(j), MinSecretKeyBytes),
			"PARLEY_JWT_SECRET=$(" + genSecret + ")"})
	}
	return ps
}

// Warnings lists settings that are allowed but probably not meant, one line
// each, for the log at start.
func (s *Settings) Warnings() []string {
	var ws []string
	if s.ShutdownTimeout >= DockerGracePeriod {
		ws = append(ws, fmt.Sprintf("PARLEY_SHUTDOWN_TIMEOUT=%s is not below Docker's default "+
			"grace period of %s: turns may be killed mid-way; lower it or raise "+
			"stop_grace_period", s.ShutdownTimeout, DockerGracePeriod))
	}
	if s.Production() && s.MetricsToken == "" {
		ws = append(ws, "/metrics is off: production serves metrics only with "+
			"PARLEY_METRICS_TOKEN set")
	}
	if s.Production() && slices.Contains(s.CORS, "*") {
		ws = append(ws, `CORS allows any origin ("*"): list the sites that embed the chat instead`)
	}
	if s.InContainer && isLoopbackURL(s.ActionEndpoint) {
		ws = append(ws, "the action endpoint "+s.ActionEndpoint+" points at this container "+
			"itself: inside a container localhost is not the host; use the action server's "+
			"service name, such as http://action-server:5055/webhook (localhost is right only "+
			"when the action server shares this container's network, as a Kubernetes sidecar "+
			"in the same pod does)")
	}
	return ws
}

// isLoopbackURL reports whether rawURL's host is localhost or a loopback
// address.
func isLoopbackURL(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
