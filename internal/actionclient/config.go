package actionclient

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout is the deadline of one call when the endpoint sets no
// timeout. Rasa waits 300 s; a user waiting that long has left.
const DefaultTimeout = 10 * time.Second

// Values of the tracker_events setting.
const (
	// EventsSession sends the events of the current session only.
	EventsSession = "session"
	// EventsAll sends every stored event of the conversation.
	EventsAll = "all"
)

// EnvCompress is the environment variable with which Rasa turns on
// compressed action calls; the caller may set Config.Compress from it.
const EnvCompress = "COMPRESS_ACTION_SERVER_REQUEST"

// BasicAuth is the basic_auth of an endpoint.
type BasicAuth struct {
	Username string
	Password string
}

// Config is an endpoint section of endpoints.yml (action_endpoint or nlg).
type Config struct {
	// URL is the endpoint, such as http://localhost:5055/webhook.
	URL string
	// Params are added to the URL's query (params:).
	Params map[string]string
	// Headers are sent with every call (headers:).
	Headers   map[string]string
	BasicAuth *BasicAuth
	// Token is sent as the query parameter TokenName (default "token"), as
	// Rasa does.
	Token     string
	TokenName string
	// CAFile is a PEM file of certificate authorities to trust (cafile:).
	CAFile string
	// Timeout bounds one call, retry included (timeout:, in seconds).
	Timeout time.Duration
	// SelectiveDomain sends the domain only to the actions that ask for it
	// (enable_selective_domain:).
	SelectiveDomain bool
	// Compress sends the body zlib-compressed with Content-Encoding:
	// deflate (compress:).
	Compress bool
	// AllEvents sends the tracker's whole event log instead of the current
	// session's events (tracker_events: all).
	AllEvents bool
	// Unknown lists keys of the section that Parley does not use, sorted,
	// so that the caller can warn about typos.
	Unknown []string
}

var knownKeys = []string{"url", "params", "headers", "basic_auth", "token", "token_name",
	"cafile", "timeout", "enable_selective_domain", "compress", "tracker_events"}

// ParseConfig reads an endpoint section as endpoints.yml holds it. A nil or
// empty section gives a Config without URL. Errors wrap ErrConfig and name
// the key.
func ParseConfig(section map[string]any) (Config, error) {
	cfg := Config{Timeout: DefaultTimeout, TokenName: "token"}
	var err error
	p := parser{m: section, err: &err}
	cfg.URL = p.str("url")
	cfg.Params = p.strMap("params")
	cfg.Headers = p.strMap("headers")
	cfg.Token = p.str("token")
	if name := p.str("token_name"); name != "" {
		cfg.TokenName = name
	}
	cfg.CAFile = p.str("cafile")
	cfg.SelectiveDomain = p.boolean("enable_selective_domain")
	cfg.Compress = p.boolean("compress")
	cfg.BasicAuth = p.basicAuth()
	if s := p.seconds("timeout"); s > 0 {
		cfg.Timeout = s
	}
	switch ev := p.str("tracker_events"); ev {
	case "", EventsSession:
	case EventsAll:
		cfg.AllEvents = true
	default:
		p.fail("tracker_events", "must be %q or %q, not %q", EventsSession, EventsAll, ev)
	}
	p.checkURL(cfg.URL)
	for k := range section {
		if !slices.Contains(knownKeys, k) {
			cfg.Unknown = append(cfg.Unknown, k)
		}
	}
	sort.Strings(cfg.Unknown)
	return cfg, err
}

// parser reads typed values from a section, keeping the first error.
type parser struct {
	m   map[string]any
	err *error
}

func (p parser) fail(key, format string, args ...any) {
	if *p.err == nil {
		*p.err = fmt.Errorf("%w: %s %s", ErrConfig, key, fmt.Sprintf(format, args...))
	}
}

func (p parser) str(key string) string {
	switch v := p.m[key].(type) {
	case nil:
		return ""
	case string:
		return v
	case int, int64, float64:
		return fmt.Sprint(v)
	}
	p.fail(key, "must be text, not %T", p.m[key])
	return ""
}

func (p parser) boolean(key string) bool {
	switch v := p.m[key].(type) {
	case nil:
		return false
	case bool:
		return v
	case string: // a value written with ${VAR}
		if b, err := strconv.ParseBool(strings.TrimSpace(v)); err == nil {
			return b
		}
	}
	p.fail(key, "must be true or false, not %v", p.m[key])
	return false
}

func (p parser) seconds(key string) time.Duration {
	if p.m[key] == nil {
		return 0
	}
	s, err := Number(p.m[key])
	if err != nil {
		p.fail(key, "must be a number of seconds, %v", err)
		return 0
	}
	if s <= 0 {
		p.fail(key, "must be more than 0 seconds, not %v", s)
		return 0
	}
	return time.Duration(s * float64(time.Second))
}

// Number reads a number as a YAML section holds it: an int, a float, or
// text holding one (a value written with ${VAR}). For anything else the
// error is "not" and the value, to follow what the value must be.
func Number(v any) (float64, error) {
	switch v := v.(type) {
	case int:
		return float64(v), nil
	case int64:
		return float64(v), nil
	case float64:
		return v, nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return 0, fmt.Errorf("not %q", v)
		}
		return f, nil
	}
	return 0, fmt.Errorf("not %v", v)
}

func (p parser) strMap(key string) map[string]string {
	raw, ok := p.m[key].(map[string]any)
	if !ok {
		if p.m[key] != nil {
			p.fail(key, "must be a mapping of names to values")
		}
		return nil
	}
	out := make(map[string]string, len(raw))
	sub := parser{m: raw, err: p.err}
	for k := range raw {
		out[k] = sub.str(k)
	}
	return out
}

func (p parser) basicAuth() *BasicAuth {
	raw, ok := p.m["basic_auth"].(map[string]any)
	if !ok {
		if p.m["basic_auth"] != nil {
			p.fail("basic_auth", "must be a mapping with username and password")
		}
		return nil
	}
	sub := parser{m: raw, err: p.err}
	return &BasicAuth{Username: sub.str("username"), Password: sub.str("password")}
}

func (p parser) checkURL(raw string) {
	if raw == "" {
		return
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.fail("url", "must be an http:// or https:// address such as "+
			"http://localhost:5055/webhook, not %q", raw)
	}
}
