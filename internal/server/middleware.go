package server

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
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
		r.Body = http.MaxBytesReader(w, r.Body, s.bodyLimit(r))
		err := h(w, r)
		if err == nil {
			return
		}
		e := writeError(w, requestID(r), err, s.opts.ErrorDetail)
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

// bodyLimit is how large r's body may be: MaxTrainBodyBytes for the
// routes that take a whole project's training or test data, MaxBodyBytes
// for the others.
func (s *Server) bodyLimit(r *http.Request) int64 {
	switch r.URL.Path {
	case "/model/train", "/model/test/stories", "/model/test/intents":
		return max(s.opts.MaxTrainBodyBytes, s.opts.MaxBodyBytes)
	}
	return s.opts.MaxBodyBytes
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

// Hijack hands the connection over (websocket upgrades of socket.io).
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.status == 0 {
		w.status = http.StatusSwitchingProtocols
	}
	return hijack(w.ResponseWriter)
}

// Unwrap lets http.ResponseController reach the inner writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// hijack hijacks w's connection, if w can.
func hijack(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("the response writer cannot hand over its connection")
	}
	return h.Hijack()
}

// logRequests gives each request an id (X-Request-ID) and the default
// security headers, and logs one line per request: id, method, path,
// status, duration.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		h := w.Header()
		h.Set("X-Request-ID", id)
		// Every answer: no content sniffing, and a policy that lets an
		// answer which is not a page (JSON, a 404) load or frame nothing.
		// The web app's pages set their own policy over this one.
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		r = r.WithContext(withRequestID(context.WithValue(r.Context(), requestIDKey, id), id))
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
