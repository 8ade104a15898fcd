package actionclient

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// recorder is an action server that records each request and answers an
// empty result.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	header http.Header
	query  map[string][]string
	body   []byte
	user   string
	pass   string
	hasPW  bool
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	user, pass, ok := req.BasicAuth()
	r.mu.Lock()
	r.reqs = append(r.reqs, recorded{header: req.Header.Clone(), query: req.URL.Query(),
		body: body, user: user, pass: pass, hasPW: ok})
	r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"events":[],"responses":[]}`))
}

func (r *recorder) last(t *testing.T) recorded {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.reqs) == 0 {
		t.Fatal("the server received no request")
	}
	return r.reqs[len(r.reqs)-1]
}

// TestRequestGolden pins the exact JSON sent for the tracker fixture and
// the test domain, with selective domain off and on and both event scopes.
func TestRequestGolden(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	cases := []struct {
		name       string
		action     string
		selective  bool
		allEvents  bool
		sendDomain bool
	}{
		{name: "full domain, current session", action: "action_hello"},
		{name: "all events", action: "action_hello", allEvents: true},
		{name: "selective domain, action without send_domain", action: "action_hello",
			selective: true},
		{name: "selective domain, send_domain", action: "action_with_domain",
			selective: true, sendDomain: true},
		{name: "selective domain, validate_ action", action: "validate_pizza_form",
			selective: true},
	}
	var names []string
	got := map[string]string{}
	for _, tc := range cases {
		c := newClient(t, srv.URL+"/webhook", func(cfg *Config) {
			cfg.SelectiveDomain = tc.selective
			cfg.AllEvents = tc.allEvents
		}, Options{})
		req := testRequest(t, tc.action)
		req.SendDomain = tc.sendDomain && testDomain().SendsDomain(tc.action)
		if _, err := c.Call(context.Background(), req); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		names = append(names, tc.name)
		got[tc.name] = indent(t, rec.last(t).body)
	}
	checkGolden(t, "requests.golden", names, got)
}

// TestRequestShape checks the parts of the request the golden file shows
// only implicitly.
func TestRequestShape(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	c := newClient(t, srv.URL+"/webhook", nil, Options{})
	if _, err := c.Call(context.Background(), testRequest(t, "action_hello")); err != nil {
		t.Fatal(err)
	}
	var body struct {
		NextAction string `json:"next_action"`
		SenderID   string `json:"sender_id"`
		Version    string `json:"version"`
		Tracker    struct {
			Events []map[string]any `json:"events"`
		} `json:"tracker"`
		Domain map[string]any `json:"domain"`
	}
	if err := json.Unmarshal(rec.last(t).body, &body); err != nil {
		t.Fatal(err)
	}
	if body.NextAction != "action_hello" || body.SenderID != "u1" ||
		body.Version != DefaultVersion {
		t.Errorf("head = %q %q %q", body.NextAction, body.SenderID, body.Version)
	}
	if n := len(body.Tracker.Events); n != 5 || body.Tracker.Events[0]["name"] !=
		"action_session_start" {
		t.Errorf("current session: %d events, first %v; want 5 from action_session_start",
			n, body.Tracker.Events[0])
	}
	for _, key := range []string{"version", "intents", "entities", "slots", "responses",
		"actions", "forms", "e2e_actions", "session_config", "config"} {
		if _, ok := body.Domain[key]; !ok {
			t.Errorf("domain has no %q", key)
		}
	}
}

// TestRequestAuth checks headers, basic auth, the token, params and the
// request id.
func TestRequestAuth(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	cfg, err := ParseConfig(map[string]any{
		"url":        srv.URL + "/webhook",
		"headers":    map[string]any{"X-Api-Key": "k1", "X-Team": 7},
		"basic_auth": map[string]any{"username": "bot", "password": "s3cret"},
		"token":      "tok",
		"token_name": "auth",
		"params":     map[string]any{"env": "test"},
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := WithRequestID(context.Background(), "req-42")
	if _, err := c.Call(ctx, testRequest(t, "action_hello")); err != nil {
		t.Fatal(err)
	}
	r := rec.last(t)
	checks := map[string][2]string{
		"X-Api-Key":    {r.header.Get("X-Api-Key"), "k1"},
		"X-Team":       {r.header.Get("X-Team"), "7"},
		"X-Request-ID": {r.header.Get("X-Request-ID"), "req-42"},
		"Content-Type": {r.header.Get("Content-Type"), "application/json"},
		"token param":  {first(r.query["auth"]), "tok"},
		"params":       {first(r.query["env"]), "test"},
		"user":         {r.user, "bot"},
		"password":     {r.pass, "s3cret"},
	}
	for what, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", what, c[0], c[1])
		}
	}
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// TestRequestDeflate checks that compress: true sends a zlib body with
// Content-Encoding: deflate, holding the same JSON.
func TestRequestDeflate(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	plain := newClient(t, srv.URL, nil, Options{})
	if _, err := plain.Call(context.Background(), testRequest(t, "action_hello")); err != nil {
		t.Fatal(err)
	}
	want := rec.last(t).body
	packed := newClient(t, srv.URL, func(c *Config) { c.Compress = true }, Options{})
	if _, err := packed.Call(context.Background(), testRequest(t, "action_hello")); err != nil {
		t.Fatal(err)
	}
	r := rec.last(t)
	if enc := r.header.Get("Content-Encoding"); enc != "deflate" {
		t.Fatalf("Content-Encoding = %q", enc)
	}
	zr, err := zlib.NewReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("not zlib: %v", err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("inflated body differs from the plain one")
	}
	if len(r.body) >= len(want) {
		t.Errorf("compressed %d bytes, plain %d", len(r.body), len(want))
	}
}
