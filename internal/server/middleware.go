package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"
)

// handlerFunc is an HTTP handler that returns its error instead of
// writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

type ctxKey int

const requestIDKey ctxKey = 0

// requestID returns the id the logging middleware gave the request.
func requestID(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey).(string)
	return id
}

// handle adapts h: its error is written as Rasa's JSON error body and
// logged with the request id (the cause only in the log).
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
		err := h(w, r)
		if err == nil {
			return
		}
		e := writeError(w, requestID(r), err)
		attrs := []any{"request_id", requestID(r), "status", e.Status, "message", e.Message}
		if e.Err != nil {
			attrs = append(attrs, "error", e.Err.Error())
		}
		if e.Status >= 500 {
			s.log.Error("request failed", attrs...)
		} else {
			s.log.Debug("request refused", attrs...)
		}
	})
}

// requireToken guards an API endpoint with the --auth-token, if any.
func (s *Server) requireToken(h handlerFunc) handlerFunc {
	if s.opts.AuthToken == "" {
		return h
	}
	want := []byte(s.opts.AuthToken)
	return func(w http.ResponseWriter, r *http.Request) error {
		got := []byte(r.URL.Query().Get("token"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			return &Error{Status: http.StatusUnauthorized, Reason: ReasonNotAuthenticated,
				Message: "The request is not authenticated: add ?token=<the server's auth token>."}
		}
		return h(w, r)
	}
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush lets streamed answers reach the client.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// logRequests gives each request an id (X-Request-ID) and logs one line
// per request: id, method, path, status, duration.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		w.Header().Set("X-Request-ID", id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey, id))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		s.log.Info("request", "request_id", id, "method", r.Method, "path", r.URL.Path,
			"status", sw.status, "duration", time.Since(start).Round(time.Microsecond).String())
	})
}

func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// cors answers preflight requests and marks answers to allowed origins, as
// --cors lists them ("*" allows any origin).
func (s *Server) cors(next http.Handler) http.Handler {
	if len(s.opts.CORS) == 0 {
		return next
	}
	any := slices.Contains(s.opts.CORS, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && (any || slices.Contains(s.opts.CORS, origin)) {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Add("Vary", "Origin")
			if r.Method == http.MethodOptions {
				h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
				reqHeaders := r.Header.Get("Access-Control-Request-Headers")
				if reqHeaders == "" {
					reqHeaders = "Content-Type, Authorization"
				}
				h.Set("Access-Control-Allow-Headers", reqHeaders)
				h.Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// routes builds the server's handler.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	s.mountWeb(mux)
	mux.Handle("GET /version", s.handle(s.version))
	mux.Handle("GET /webhooks/rest", s.handle(s.restHealth))
	mux.Handle("GET /webhooks/rest/{$}", s.handle(s.restHealth))
	mux.Handle("POST /webhooks/rest/webhook", s.handle(s.restWebhook))
	if s.opts.EnableAPI {
		mux.Handle("POST /model/parse", s.handle(s.requireToken(s.parse)))
		mux.Handle("GET /status", s.handle(s.requireToken(s.status)))
	}
	mux.Handle("/", s.handle(s.notFound))
	return s.logRequests(s.cors(mux))
}

// notFound answers every path no route claims.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	msg := "There is nothing at " + r.Method + " " + r.URL.Path + "."
	if strings.HasPrefix(r.URL.Path, "/model/") || r.URL.Path == "/status" {
		msg += " The HTTP API is off unless the server runs with --enable-api."
	}
	return &Error{Status: http.StatusNotFound, Reason: ReasonNotFound, Message: msg}
}
