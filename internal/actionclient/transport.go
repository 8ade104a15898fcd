package actionclient

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"
)

// maxAnswerBytes bounds the answer of an action server or NLG endpoint.
const maxAnswerBytes = 64 << 20

// retryDelay is the pause before the one retry after a refused connection,
// to give a restarting server a moment.
const retryDelay = 200 * time.Millisecond

// requestIDKey is the context key of the request id.
type requestIDKey struct{}

// WithRequestID returns a context carrying the request id that calls made
// with it send as the X-Request-ID header.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request id the context carries, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// Options are what a Client or NLGClient needs besides its Config.
type Options struct {
	// Logger receives one line per failed call; nil discards.
	Logger *slog.Logger
	// Local runs the actions it has in process (see Local); may be nil.
	Local Local
	// Transport sends the HTTP requests; nil uses a transport like
	// http.DefaultTransport (trusting Config.CAFile when set).
	Transport http.RoundTripper
	// InContainer reports whether the process runs in a container, for the
	// localhost hint; nil detects it from /.dockerenv and /proc/1/cgroup.
	InContainer func() bool
	// Version is sent as "version" in action calls; "" means
	// DefaultVersion.
	Version string
}

// endpoint posts JSON to one configured URL.
type endpoint struct {
	// service is what the endpoint reaches, for messages: "" for the
	// action server, nlgService for the nlg endpoint.
	service     string
	cfg         Config
	url         string // with params and token
	http        *http.Client
	log         *slog.Logger
	inContainer func() bool
}

func newEndpoint(cfg Config, opts Options) (*endpoint, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.TokenName == "" {
		cfg.TokenName = "token"
	}
	e := &endpoint{cfg: cfg, log: opts.Logger, inContainer: opts.InContainer}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.inContainer == nil {
		e.inContainer = detectContainer
	}
	rt := opts.Transport
	if rt == nil {
		t, err := NewTransport(cfg.CAFile)
		if err != nil {
			return nil, err
		}
		rt = t
	}
	e.http = &http.Client{Transport: rt}
	if cfg.URL != "" {
		u, err := cfg.FullURL()
		if err != nil {
			return nil, err
		}
		e.url = u
	}
	return e, nil
}

// FullURL is the URL with the params and the token (named TokenName,
// "token" when empty) added to its query.
func (cfg Config) FullURL() (string, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return "", fmt.Errorf("%w: url %q: %w", ErrConfig, cfg.URL, err)
	}
	q := u.Query()
	for k, v := range cfg.Params {
		q.Set(k, v)
	}
	if cfg.Token != "" {
		name := cfg.TokenName
		if name == "" {
			name = "token"
		}
		q.Set(name, cfg.Token)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Authorize sets the configured headers and basic_auth on req.
func (cfg Config) Authorize(req *http.Request) {
	for k, v := range cfg.Headers {
		req.Header.Set(k, v)
	}
	if a := cfg.BasicAuth; a != nil {
		req.SetBasicAuth(a.Username, a.Password)
	}
}

// NewTransport returns a transport like http.DefaultTransport that also
// trusts the certificate authorities in the PEM file caFile, when given.
// Errors wrap ErrConfig.
func NewTransport(caFile string) (*http.Transport, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if caFile == "" {
		return t, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("%w: cafile: %w", ErrConfig, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%w: cafile %s holds no PEM certificate", ErrConfig, caFile)
	}
	t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return t, nil
}

// answer is an HTTP answer.
type answer struct {
	status int
	body   []byte
}

// post sends body within the endpoint's timeout, retrying once when the
// connection was refused. name is the action or response, for errors.
func (e *endpoint) post(ctx context.Context, name string, body []byte) (answer, error) {
	if e.cfg.Compress {
		body = deflate(body)
	}
	cctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	for attempt := 0; ; attempt++ {
		ans, err := e.postOnce(cctx, body)
		if err == nil {
			return ans, nil
		}
		if attempt == 0 && refused(err) && sleep(cctx, retryDelay) {
			e.log.Debug("connection refused; retrying once", "url", e.cfg.URL, "action", name)
			continue
		}
		return answer{}, e.transportError(ctx, name, err)
	}
}

func (e *endpoint) postOnce(ctx context.Context, body []byte) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if e.cfg.Compress {
		req.Header.Set("Content-Encoding", "deflate")
	}
	e.cfg.Authorize(req)
	if id := RequestID(ctx); id != "" {
		req.Header.Set("X-Request-ID", id)
	}
	resp, err := e.http.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	if err != nil {
		return answer{}, fmt.Errorf("reading the answer: %w", err)
	}
	return answer{status: resp.StatusCode, body: out}, nil
}

// probe asks the server's /health (the Rasa SDK's and `parley run
// actions`' health route, beside /webhook) and returns nil for any answer
// below 500: the server is reachable.
func (e *endpoint) probe(ctx context.Context) error {
	u, err := url.Parse(e.cfg.URL)
	if err != nil {
		return err
	}
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/webhook") + "/health"
	u.RawQuery = ""
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	e.cfg.Authorize(req)
	resp, err := e.http.Do(req)
	if err != nil {
		out := &Error{Kind: ErrServer, Action: "the /health probe", URL: u.String(),
			Service: e.service, Detail: err.Error(), Err: err}
		var op *net.OpError
		var dns *net.DNSError
		switch {
		case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
			out.Kind, out.Detail = ErrTimeout, fmt.Sprintf("no answer within %s", probeTimeout)
		case errors.As(err, &dns) || (errors.As(err, &op) && op.Op == "dial"):
			out.Kind, out.Hint = ErrUnreachable, e.unreachableHint()
		}
		return out
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		return &Error{Kind: ErrServer, Action: "the /health probe", URL: u.String(),
			Service: e.service, Status: resp.StatusCode}
	}
	return nil
}

// sleep waits d unless ctx ends first; it reports whether it waited.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// refused reports whether the connection was refused, so that nothing was
// sent.
func refused(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial" && errors.Is(err, syscall.ECONNREFUSED)
}

// transportError classifies an error of post. parent is the caller's
// context: when it ended, the caller gave up and the error says so.
func (e *endpoint) transportError(parent context.Context, name string, err error) error {
	if parent.Err() != nil {
		return fmt.Errorf("calling %s at %s: %w", name, e.cfg.URL, parent.Err())
	}
	out := &Error{Action: name, URL: e.cfg.URL, Service: e.service, Detail: err.Error(), Err: err}
	var op *net.OpError
	var dns *net.DNSError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		out.Kind = ErrTimeout
		out.Detail = fmt.Sprintf("no answer within %s", e.cfg.Timeout)
		out.Hint = "make the action faster or raise timeout under the endpoint in endpoints.yml"
	case errors.As(err, &dns) || (errors.As(err, &op) && op.Op == "dial"):
		out.Kind = ErrUnreachable
		out.Hint = e.unreachableHint()
	default:
		out.Kind = ErrServer
		out.Detail = "the connection failed after the call was sent: " + err.Error()
	}
	return out
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// unreachableHint says how to reach the server, with a special case for
// localhost seen from inside a container.
func (e *endpoint) unreachableHint() string {
	u, err := url.Parse(e.cfg.URL)
	host := ""
	if err == nil {
		host = u.Hostname()
	}
	local := host == "localhost" || host == "127.0.0.1" || host == "::1"
	switch {
	case local && e.inContainer() && e.service == nlgService:
		return "Parley runs in a container, where " + host + " is the container itself; " +
			"use the nlg server's service name or host.docker.internal under nlg: in " +
			"endpoints.yml"
	case local && e.inContainer():
		return "Parley runs in a container, where " + host + " is the container itself; " +
			"use the action server's service name (for example " +
			"http://action-server:5055/webhook) or host.docker.internal in endpoints.yml"
	case e.service == nlgService:
		return "is the nlg server running? start it or fix the url under nlg: in endpoints.yml"
	}
	return "is the action server running? start it (parley run actions, rasa run actions) " +
		"or fix the url in endpoints.yml"
}

// detectContainer reports whether the process runs in a Docker, Podman or
// Kubernetes container.
func detectContainer() bool {
	for _, marker := range []string{"/.dockerenv", "/run/.containerenv"} {
		if _, err := os.Stat(marker); err == nil {
			return true
		}
	}
	cg, err := os.ReadFile("/proc/1/cgroup")
	if err != nil {
		return false
	}
	s := string(cg)
	for _, word := range []string{"docker", "kubepods", "containerd", "libpod", "lxc"} {
		if strings.Contains(s, word) {
			return true
		}
	}
	return false
}

// deflate compresses body with zlib, as Rasa does for Content-Encoding:
// deflate.
func deflate(body []byte) []byte {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	_, _ = w.Write(body) // writes to a bytes.Buffer do not fail
	_ = w.Close()
	return b.Bytes()
}
