package sdk

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// DefaultPort is the port action servers listen on by convention.
const DefaultPort = 5055

// DefaultMaxBodyBytes bounds a webhook body, before and after
// decompression, when ServerOptions.MaxBodyBytes is 0.
const DefaultMaxBodyBytes = 32 << 20

// ServerOptions configure a Server. The zero value is ready to use.
type ServerOptions struct {
	// Logger receives one line per failed call and, at debug level, per
	// call; nil discards.
	Logger *slog.Logger
	// AllowedOrigins turns CORS on for these browser origins ("*" for any).
	// CORS is off when it is empty.
	AllowedOrigins []string
	// MaxBodyBytes bounds the body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
}

// Server serves a registry's actions over HTTP as a Rasa SDK action server
// does:
//
//	POST /webhook  run an action (the body may be deflate-compressed)
//	GET  /health   {"status":"ok"}
//	GET  /actions  [{"name":"action_x"}, ...]
type Server struct {
	reg  *Registry
	opts ServerOptions
	log  *slog.Logger
	mux  *http.ServeMux
}

// NewServer returns a server for the registry's actions.
func NewServer(reg *Registry, opts ServerOptions) *Server {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{reg: reg, opts: opts, log: log, mux: http.NewServeMux()}
	s.mux.HandleFunc("POST /webhook", s.webhook)
	s.mux.HandleFunc("GET /health", s.health)
	s.mux.HandleFunc("GET /actions", s.list)
	return s
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if id := r.Header.Get("X-Request-ID"); id != "" {
		w.Header().Set("X-Request-ID", id)
	}
	if s.cors(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// cors sets the CORS headers for an allowed origin and reports whether the
// request was a preflight it has answered.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || len(s.opts.AllowedOrigins) == 0 {
		return false
	}
	if !slices.Contains(s.opts.AllowedOrigins, "*") &&
		!slices.Contains(s.opts.AllowedOrigins, origin) {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	if r.Method != http.MethodOptions {
		return false
	}
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Content-Type, Content-Encoding, Authorization")
	w.WriteHeader(http.StatusNoContent)
	return true
}

func (s *Server) health(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, []byte(`{"status":"ok"}`))
}

func (s *Server) list(w http.ResponseWriter, _ *http.Request) {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, name := range s.reg.Names() {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":%q}`, name)
	}
	b.WriteByte(']')
	writeJSON(w, http.StatusOK, b.Bytes())
}

func (s *Server) webhook(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	body, err := s.readBody(w, r)
	if err != nil {
		s.log.Warn("webhook body rejected", "error", err)
		writeJSON(w, http.StatusBadRequest, []byte(`{"error":"Invalid body request"}`))
		return
	}
	rep := s.reg.handle(r.Context(), body)
	s.logReply(r, rep, time.Since(start))
	writeJSON(w, rep.status, rep.body)
}

// logReply logs a failed call at error level (a rejection at debug level).
func (s *Server) logReply(r *http.Request, rep reply, took time.Duration) {
	attrs := []any{"action", rep.action, "status", rep.status, "duration", took}
	if id := r.Header.Get("X-Request-ID"); id != "" {
		attrs = append(attrs, "request_id", id)
	}
	var p *panicError
	switch {
	case rep.err == nil:
		s.log.Debug("action ran", attrs...)
	case errors.As(rep.err, &p):
		s.log.Error("action panicked", append(attrs, "error", rep.err,
			"stack", string(p.Stack()))...)
	case rep.status == http.StatusInternalServerError:
		s.log.Error("action failed", append(attrs, "error", rep.err)...)
	default:
		s.log.Debug("action call refused", append(attrs, "error", rep.err)...)
	}
}

// readBody reads the webhook body, inflating a compressed one, within the
// size bound.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	limit := s.opts.MaxBodyBytes
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, err
	}
	enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding")))
	if enc == "" || enc == "identity" {
		return raw, nil
	}
	return inflate(enc, raw, limit)
}

// inflate decompresses a deflate (zlib, or raw deflate) or gzip body.
func inflate(enc string, raw []byte, limit int64) ([]byte, error) {
	var rd io.Reader
	switch enc {
	case "deflate":
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			rd = flate.NewReader(bytes.NewReader(raw))
		} else {
			rd = zr
		}
	case "gzip":
		gr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		rd = gr
	default:
		return nil, fmt.Errorf("unsupported Content-Encoding %q", enc)
	}
	out, err := io.ReadAll(io.LimitReader(rd, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s body: %w", enc, err)
	}
	if int64(len(out)) > limit {
		return nil, fmt.Errorf("the inflated body is larger than %d bytes", limit)
	}
	return out, nil
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// Serve listens on addr (for example ":5055") and serves until ctx is done,
// then shuts down, letting calls in flight finish for up to 10 seconds.
func (s *Server) Serve(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("sdk: listening for actions: %w", err)
	}
	return s.ServeListener(ctx, ln)
}

// ServeListener serves on ln until ctx is done, as Serve does.
func (s *Server) ServeListener(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
