package web

import (
	"context"
	"database/sql"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/parley-chat/parley/internal/model"
)

// Defaults of Config.
const (
	// DefaultSessionIdle is how long a browser session lives unused.
	DefaultSessionIdle = 14 * 24 * time.Hour
	// DefaultTitle heads the chat page.
	DefaultTitle = "Chat"
	// MinSecretKeyLength is the shortest secret key accepted, in bytes.
	MinSecretKeyLength = 32
)

// TrainFunc trains a new model from the project, reporting progress as
// model.TrainOptions.Progress does.
type TrainFunc func(ctx context.Context,
	progress func(stage string, done, total int)) (*model.Model, error)

// Config is how the web app is set up; ConfigFromEnv reads it from the
// PARLEY_* environment variables. The zero Config is a development setup
// with sessions in memory under a key that lasts until the process ends.
type Config struct {
	// Production allows only AllowedHosts (in development localhost,
	// 127.0.0.1 and [::1] on any port are allowed too).
	Production bool
	// ErrorDetail shows the cause of a failure, which is otherwise only
	// logged, on error pages and in the chat API's errors (development).
	ErrorDetail bool
	// AllowedHosts are host names the server answers for; ".example.com"
	// allows example.com and every subdomain, "*" any host (development).
	AllowedHosts []string
	// TrustedProxies are the addresses whose X-Forwarded-Host,
	// X-Forwarded-Proto and X-Forwarded-For are believed; nil means
	// loopback only.
	TrustedProxies []netip.Prefix
	// EmbedOrigins may show the chat in a frame ("https://shop.example").
	EmbedOrigins []string
	// Greeting is sent to the bot when a conversation begins, for
	// example "/greet"; its user message is not shown. Empty sends none.
	Greeting string
	// Title heads the chat page (default "Chat").
	Title string
	// SessionIdle ends a browser session unused this long (default 14
	// days).
	SessionIdle time.Duration
	// SecretKey signs session cookies; at least MinSecretKeyLength bytes.
	// Nil makes a random key that lasts until the process ends.
	SecretKey []byte
	// DB holds the web_sessions and web_users tables (the store's
	// database); nil keeps sessions and users in memory.
	DB *sql.DB
	// Train retrains the model for the inspector's "retrain" button; nil
	// disables the button.
	Train TrainFunc
	// ResultsDir is the folder of the test reports (results/ in the
	// project); empty shows none.
	ResultsDir string
	// Clock gives the time; nil means time.Now.
	Clock func() time.Time
}

// withDefaults fills the zero fields of c.
func (c Config) withDefaults() Config {
	if c.SessionIdle <= 0 {
		c.SessionIdle = DefaultSessionIdle
	}
	if c.Title == "" {
		c.Title = DefaultTitle
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.TrustedProxies == nil {
		c.TrustedProxies = loopback()
	}
	return c
}

// loopback returns the loopback ranges of IPv4 and IPv6.
func loopback() []netip.Prefix {
	return []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"),
		netip.MustParsePrefix("::1/128")}
}

// Check reports the first setting of c that cannot work, saying which
// variable to change and how.
func (c Config) Check() error {
	if c.SecretKey != nil && len(c.SecretKey) < MinSecretKeyLength {
		return fmt.Errorf("%w: PARLEY_SECRET_KEY has %d bytes, it needs at least %d: "+
			"make one with `openssl rand -hex 32`", ErrSetting, len(c.SecretKey),
			MinSecretKeyLength)
	}
	if c.Production && c.SecretKey == nil {
		return fmt.Errorf("%w: production mode needs PARLEY_SECRET_KEY (at least %d bytes; "+
			"make one with `openssl rand -hex 32`)", ErrNoSecretKey, MinSecretKeyLength)
	}
	for _, h := range c.AllowedHosts {
		if err := checkAllowedHost(h, c.Production); err != nil {
			return err
		}
	}
	if c.Production && len(c.AllowedHosts) == 0 {
		return fmt.Errorf("%w: production mode needs PARLEY_ALLOWED_HOSTS, the host names "+
			"the site is reached by (for example chat.example.com,.example.org)", ErrSetting)
	}
	for _, o := range c.EmbedOrigins {
		if _, err := parseOrigin(o); err != nil {
			return err
		}
	}
	return nil
}

// checkAllowedHost checks one entry of AllowedHosts.
func checkAllowedHost(h string, production bool) error {
	switch {
	case h == "*" && production:
		return fmt.Errorf("%w: PARLEY_ALLOWED_HOSTS=* is refused in production: list the "+
			"host names the site is reached by", ErrSetting)
	case h == "*":
		return nil
	case h == "" || h == ".":
		return fmt.Errorf("%w: PARLEY_ALLOWED_HOSTS has an empty entry", ErrSetting)
	case isIPv6(h):
		return nil
	case strings.ContainsAny(h, ":/ ;,"):
		return fmt.Errorf("%w: PARLEY_ALLOWED_HOSTS entry %q is not a host name: write "+
			"names without scheme, port or path, like chat.example.com or .example.com",
			ErrSetting, h)
	}
	return nil
}

// isIPv6 reports whether h is an IPv6 address, with or without brackets.
func isIPv6(h string) bool {
	addr, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"))
	return err == nil && addr.Is6()
}

// parseOrigin checks an embedding origin ("https://shop.example:8443") and
// returns it in canonical form; anything else could break the
// Content-Security-Policy it is written into.
func parseOrigin(o string) (string, error) {
	u, err := url.Parse(o)
	bad := err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" ||
		u.User != nil || strings.ContainsAny(o, " ;,'\"")
	if bad {
		return "", fmt.Errorf("%w: PARLEY_EMBED_ORIGINS entry %q is not an origin: write "+
			"scheme and host, like https://shop.example", ErrSetting, o)
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}
