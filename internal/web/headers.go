package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
)

// cspBase is the Content-Security-Policy of every page before its
// frame-ancestors: scripts and styles only from this origin (no inline
// script or style), images also from https (bot images), fetch() only to
// this origin.
const cspBase = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' https: data:; connect-src 'self'; form-action 'self'; " +
	"base-uri 'none'; frame-ancestors "

// withHeaders sets the security headers before h answers; frame is the
// frame-ancestors source list ("'none'", "'self' https://shop.example").
func withHeaders(frame string, h http.Handler) http.Handler {
	csp := cspBase + frame
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if frame == "'none'" {
			hd.Set("X-Frame-Options", "DENY")
		}
		// These routes answer to cookies, so no other origin may read them
		// with the browser's credentials, whatever CORS the API allows.
		hd.Del("Access-Control-Allow-Credentials")
		hd.Del("Access-Control-Allow-Origin")
		h.ServeHTTP(w, r)
	})
}

// handlerFunc is a handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// apiErrorBody is the JSON error of the chat API.
type apiErrorBody struct {
	Error string `json:"error"`
	// Detail is the logged cause, with Config.ErrorDetail.
	Detail string `json:"detail,omitempty"`
}

// detail is the cause of e to show, or "" outside development.
func (a *App) detail(e *httpError) string {
	if !a.cfg.ErrorDetail || e.err == nil {
		return ""
	}
	return e.err.Error()
}

// api adapts h for the JSON API: bodies are capped and errors become
// {"error": "..."} with their status.
func (a *App) api(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxAPIBody)
		w.Header().Set("Cache-Control", "no-store")
		if err := h(w, r); err != nil {
			e := a.explain(w, r, err)
			writeJSON(w, e.status, apiErrorBody{Error: e.message, Detail: a.detail(e)})
		}
	})
}

// page adapts h for HTML pages: errors become a short error page.
func (a *App) page(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxAPIBody)
		if err := h(w, r); err != nil {
			e := a.explain(w, r, err)
			a.pages.render(w, e.status, "error.html", errorPage{base: a.base(r, "Error"),
				Status: e.status, Message: e.message, Detail: a.detail(e)})
		}
	})
}

// maxAPIBody caps request bodies of the web app.
const maxAPIBody = 64 << 10

// explain turns err into what the user is told, logging the detail.
func (a *App) explain(w http.ResponseWriter, r *http.Request, err error) *httpError {
	var e *httpError
	var tooBig *http.MaxBytesError
	var down *UnavailableError
	switch {
	case errors.As(err, &e):
	case errors.As(err, &down):
		e = &httpError{status: http.StatusServiceUnavailable, message: down.Message, err: down.Err}
	case errors.As(err, &tooBig):
		e = userError(http.StatusRequestEntityTooLarge, "The message is too long.")
	default:
		e = &httpError{status: http.StatusInternalServerError, err: err,
			message: "Something went wrong on the server; its log has the details " +
				"under request id " + w.Header().Get("X-Request-ID") + "."}
	}
	attrs := append(requestLog(w, r), "status", e.status, "message", e.message)
	if e.err != nil {
		attrs = append(attrs, "error", e.err.Error())
	}
	if e.status >= 500 && e.status != http.StatusServiceUnavailable {
		a.log.Error("web request failed", attrs...)
	} else {
		a.log.Debug("web request refused", attrs...)
	}
	return e
}

// writeJSON writes v as a JSON answer with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		buf.Reset()
		buf.WriteString(`{"error":"the answer could not be encoded"}` + "\n")
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
