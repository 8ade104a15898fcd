package server

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// CheckCORS checks the --cors values: "*" or exact origins such as
// https://example.com or http://localhost:8080. A value that names a file
// or folder in dir, or has no scheme, is refused: an unquoted * in a shell
// expands to the file names of the current folder, so the hint says to
// quote it.
func CheckCORS(values []string, dir string) error {
	for _, v := range values {
		if v == "*" {
			continue
		}
		if err := checkOrigin(v, dir); err != nil {
			return err
		}
	}
	return nil
}

// checkOrigin checks one origin.
func checkOrigin(v, dir string) error {
	hint := `; an unquoted * is expanded by the shell into the names of the files here, ` +
		`so write --cors "*" (with quotes) to allow any origin`
	if v == "" {
		return fmt.Errorf("%w: an empty --cors value", ErrCORS)
	}
	if _, err := os.Lstat(filepath.Join(dir, v)); err == nil && !strings.Contains(v, "://") {
		return fmt.Errorf("%w: --cors %q is the name of a file in %s%s", ErrCORS, v, dir, hint)
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("%w: --cors %q is not an origin (scheme://host[:port], e.g. "+
			"https://example.com)%s", ErrCORS, v, hint)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%w: --cors %q has more than scheme, host and port; an origin "+
			"is only scheme://host[:port]", ErrCORS, v)
	}
	return nil
}

// normalOrigin drops a trailing slash, so that "https://a.example/" and
// the browser's "https://a.example" match.
func normalOrigin(v string) string { return strings.TrimSuffix(v, "/") }

// corsAllows returns whether --cors allows an origin ("*" allows any).
func (s *Server) corsAllows() func(origin string) bool {
	anyOrigin := slices.Contains(s.opts.CORS, "*")
	allowed := map[string]bool{}
	for _, o := range s.opts.CORS {
		allowed[normalOrigin(o)] = true
	}
	return func(origin string) bool { return anyOrigin || allowed[origin] }
}

// cors answers preflight requests and marks answers to allowed origins, as
// --cors lists them ("*" allows any origin). Exactly one
// Access-Control-Allow-Origin header is written: the request's origin.
func (s *Server) cors(next http.Handler) http.Handler {
	if len(s.opts.CORS) == 0 {
		return next
	}
	allowed := s.corsAllows()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || !allowed(origin) || webCookiePath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Set("Access-Control-Expose-Headers", "filename")
		h.Add("Vary", "Origin")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS")
			reqHeaders := r.Header.Get("Access-Control-Request-Headers")
			if reqHeaders == "" {
				reqHeaders = "Content-Type, Authorization"
			}
			h.Set("Access-Control-Allow-Headers", reqHeaders)
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(&oneOriginWriter{ResponseWriter: w, origin: origin}, r)
	})
}

// socketOrigins lets the socket.io websocket follow --cors as polling
// does. The socket.io library's websocket upgrade accepts only the page's
// own origin; an upgrade from an origin --cors allows (any with "*")
// reaches it without its Origin header, so that it is accepted too. The
// library's own CORS handling stays off: it would write a second
// Access-Control-Allow-Origin beside the one cors writes.
func (s *Server) socketOrigins(next http.Handler) http.Handler {
	allowed := s.corsAllows()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && allowed(origin) &&
			strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			r = r.Clone(r.Context())
			r.Header.Del("Origin")
		}
		next.ServeHTTP(w, r)
	})
}

// oneOriginWriter keeps the Access-Control-Allow-Origin header single when
// an inner handler (the socket.io engine) sets its own.
type oneOriginWriter struct {
	http.ResponseWriter
	origin string
}

func (w *oneOriginWriter) WriteHeader(code int) {
	w.Header()["Access-Control-Allow-Origin"] = []string{w.origin}
	w.ResponseWriter.WriteHeader(code)
}

func (w *oneOriginWriter) Write(b []byte) (int, error) {
	w.Header()["Access-Control-Allow-Origin"] = []string{w.origin}
	return w.ResponseWriter.Write(b)
}

// Flush lets streamed answers reach the client.
func (w *oneOriginWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack hands the connection over (websocket upgrades of socket.io).
func (w *oneOriginWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return hijack(w.ResponseWriter)
}

// Unwrap lets http.ResponseController reach the connection (websockets).
func (w *oneOriginWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
