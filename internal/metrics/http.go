package metrics

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/subtle"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	vm "github.com/VictoriaMetrics/metrics"
)

// Middleware counts and times every request that next answers. The route
// label is the ServeMux pattern that matched ("POST /webhooks/rest/webhook"),
// never the raw path, so that scanners cannot create unbounded series;
// requests no pattern matched count as "unmatched".
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		route := r.Pattern
		if route == "" || route == "/" {
			route = "unmatched"
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		m.set.GetOrCreateCounter(series(nameRequests, "method", r.Method, "route", route,
			"status", strconv.Itoa(rec.status))).Inc()
		m.histogram(nameLatency, "method", r.Method, "route", route).
			Update(time.Since(start).Seconds())
	})
}

// statusRecorder remembers the status code written.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flush, hijack).
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack hands the connection over, for websocket libraries that need the
// writer itself to be an http.Hijacker.
func (w *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.status == 0 {
		w.status = http.StatusSwitchingProtocols
	}
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// Flush sends buffered data to the client (streamed answers).
func (w *statusRecorder) Flush() {
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Handler serves the metrics. With a token, a scrape must send
// "Authorization: Bearer <token>" (Prometheus's authorization setting) or
// ?token=<token>; others get 401.
func (m *Metrics) Handler(token string) http.Handler {
	h := http.HandlerFunc(m.serve)
	if token == "" {
		return h
	}
	want := []byte(token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.URL.Query().Get("token")
		if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
			got = strings.TrimPrefix(auth, "Bearer ")
		}
		if subtle.ConstantTimeCompare([]byte(got), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="parley metrics"`)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":"metrics need the token: send Authorization: ` +
				`Bearer <PARLEY_METRICS_TOKEN>"}` + "\n"))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// serve writes Parley's series, then the Go runtime and process ones, in
// the Prometheus text format, gzipped when the scraper accepts it.
func (m *Metrics) serve(w http.ResponseWriter, r *http.Request) {
	var text bytes.Buffer
	m.set.WritePrometheus(&text)
	vm.WriteProcessMetrics(&text)
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		m.writeWithHelp(w, text.Bytes())
		return
	}
	w.Header().Set("Content-Encoding", "gzip")
	zw := gzip.NewWriter(w)
	m.writeWithHelp(zw, text.Bytes())
	zw.Close()
}

// writeWithHelp copies text to w, with the help text of the families that
// have one after their "# HELP name" lines (the library writes the name).
func (m *Metrics) writeWithHelp(w io.Writer, text []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for len(text) > 0 {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line = text[:i]
		}
		text = text[len(line):]
		w.Write(line)
		if name, ok := bytes.CutPrefix(line, []byte("# HELP ")); ok {
			if help := m.help[string(name)]; help != "" {
				io.WriteString(w, " "+help)
			}
		}
		if len(text) > 0 {
			w.Write(text[:1])
			text = text[1:]
		}
	}
}
