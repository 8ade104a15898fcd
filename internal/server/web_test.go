package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/lock"
	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/store"
)

// webCall sends one browser-like request to the server's handler.
func webCall(s *Server, method, target, host string,
	hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(`{"message": "hi"}`))
	req.Host = host
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

// TestWebRoutesIgnoreCORS: --cors "*" opens the API to other origins, but
// never lets them read the cookie-authenticated web routes.
func TestWebRoutesIgnoreCORS(t *testing.T) {
	s, _ := newTestServer(t, Options{CORS: []string{"*"}}, true)
	evil := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
	rec := webCall(s, "GET", "/api/history", "localhost:5005", evil)
	if got := rec.Header().Get("Access-Control-Allow-Credentials"); got != "" {
		t.Errorf("GET /api/history from another origin allows credentials: %q", got)
	}
	if rec := webCall(s, "POST", "/api/chat", "localhost:5005", evil); rec.Code != 403 {
		t.Errorf("cross-site POST /api/chat: %d, want 403", rec.Code)
	}
	same := map[string]string{"Sec-Fetch-Site": "same-origin"}
	if rec := webCall(s, "POST", "/api/chat", "localhost:5005", same); rec.Code != 200 {
		t.Errorf("same-origin POST /api/chat: %d %s", rec.Code, rec.Body)
	}
}

func TestWebRoutesMounted(t *testing.T) {
	s, _ := newTestServer(t, Options{}, true)
	html := map[string]string{"Accept": "text/html"}
	cases := []struct {
		path, host string
		hdr        map[string]string
		status     int
		has        string
	}{
		{"/", "localhost:5005", nil, 200, "Hello from Parley: " + parleyVersion},
		{"/", "localhost:5005", html, 200, `<form id="send"`},
		{"/", "evil.example", html, 400, "host"},
		{"/inspect", "127.0.0.1", html, 303, ""},
		{"/static/chat.js", "[::1]:80", nil, 200, "textContent"},
	}
	for _, c := range cases {
		rec := webCall(s, "GET", c.path, c.host, c.hdr)
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.has) {
			t.Errorf("GET %s (Host %s): %d %.80q", c.path, c.host, rec.Code, rec.Body)
		}
	}
	h := s.guardHosts(http.NotFoundHandler())
	req := httptest.NewRequest("GET", "/webhooks/rest/webhook", nil)
	req.Host = "evil.example"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 400 {
		t.Errorf("guardHosts let an unknown host through: %d", rec.Code)
	}
}

// TestChatPageWhenTheStoresAreDown: the chat page's API answers 503 with
// the API's words when the lock store or the database cannot be reached,
// as the REST channel does, not 500.
func TestChatPageWhenTheStoresAreDown(t *testing.T) {
	for want, err := range map[string]error{
		"lock store":            fmt.Errorf("locking: %w", lock.ErrUnavailable),
		"conversation database": fmt.Errorf("loading: %w", store.ErrUnavailable),
	} {
		s, _ := newTestServer(t, Options{}, false)
		s.opts.NewAgent = func(*model.Model) Agent { return downAgent{err: err} }
		s.SetModel(testModel())
		rec := webCall(s, "POST", "/api/chat", "localhost:5005",
			map[string]string{"Sec-Fetch-Site": "same-origin"})
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s down: %d %s", want, rec.Code, rec.Body)
		}
	}
}
