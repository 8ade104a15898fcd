package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/actionclient"
	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/lock"
	"github.com/parley-chat/parley/internal/metrics"
	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/store"
)

// downStore is a tracker store whose database is gone.
type downStore struct{ store.TrackerStore }

func (downStore) Load(context.Context, string) ([]event.Event, error) {
	return nil, fmt.Errorf("loading: %w", store.ErrUnavailable)
}

// downAgent fails every turn as an agent on a lost database (or, with
// err set, a lost lock store) does.
type downAgent struct{ err error }

func (a downAgent) HandleMessage(context.Context, agent.UserMessage) ([]event.Event, error) {
	if a.err != nil {
		return nil, a.err
	}
	return nil, fmt.Errorf("conversation: load: %w", store.ErrUnavailable)
}

func TestHealthAndReadiness(t *testing.T) {
	cases := []struct {
		name   string
		store  store.TrackerStore
		load   bool
		status int
		has    string
	}{
		{"ready", store.NewMemory(), true, 200, `"loaded":true`},
		{"no model", store.NewMemory(), false, 503, `"loaded":false`},
		{"no database", downStore{store.NewMemory()}, true, 503, `"ok":false`},
	}
	for _, c := range cases {
		s, _ := newTestServer(t, Options{Store: c.store}, c.load)
		if rec := call(s.Handler(), "GET", "/healthz", ""); rec.Code != 200 ||
			strings.TrimSpace(rec.Body.String()) != `{"status":"ok"}` {
			t.Errorf("%s: /healthz %d %s", c.name, rec.Code, rec.Body)
		}
		rec := call(s.Handler(), "GET", "/readyz", "")
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.has) {
			t.Errorf("%s: /readyz %d %s", c.name, rec.Code, rec.Body)
		}
	}
}

func TestUnavailableDatabaseIs503(t *testing.T) {
	s, _ := newTestServer(t, Options{}, false)
	s.opts.NewAgent = func(*model.Model) Agent { return downAgent{} }
	s.SetModel(testModel())
	rec := call(s.Handler(), "POST", "/webhooks/rest/webhook", `{"sender": "u", "message": "hi"}`)
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), ReasonUnavailable) ||
		!strings.Contains(rec.Body.String(), "conversation database") {
		t.Errorf("turn on a lost database: %d %s", rec.Code, rec.Body)
	}
	s.opts.NewAgent = func(*model.Model) Agent {
		return downAgent{err: fmt.Errorf("locking u: %w", lock.ErrUnavailable)}
	}
	s.SetModel(testModel())
	rec = call(s.Handler(), "POST", "/webhooks/rest/webhook", `{"sender": "u", "message": "hi"}`)
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "lock store") {
		t.Errorf("turn on a lost lock store: %d %s", rec.Code, rec.Body)
	}
}

func TestMetricsRoute(t *testing.T) {
	m := metrics.New()
	s, _ := newTestServer(t, Options{Ops: Ops{Metrics: m, MetricsHandler: m.Handler("")}}, true)
	call(s.Handler(), "POST", "/webhooks/rest/webhook", `{"sender": "u", "message": "hi"}`)
	rec := call(s.Handler(), "GET", "/metrics", "")
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `route="POST /webhooks/rest/webhook"`) ||
		!strings.Contains(body, "abc123") {
		t.Errorf("/metrics: %d\n%s", rec.Code, body)
	}
}

// TestReadinessShowsTheActionServer: /readyz and /status carry the action
// server's state; a server that is not running is down before any custom
// action ran, and readiness stays 200 (the bot still answers).
func TestReadinessShowsTheActionServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	cfg, err := actionclient.ParseConfig(map[string]any{"url": "http://" + closed + "/webhook"})
	if err != nil {
		t.Fatal(err)
	}
	client, err := actionclient.New(cfg, actionclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newTestServer(t, Options{Store: store.NewMemory(), EnableAPI: true,
		Runner: actionclient.NewRunner(client)}, true)
	for _, path := range []string{"/readyz", "/status"} {
		// The first answer comes at once; the probe it starts finds the
		// server down.
		var rec *httptest.ResponseRecorder
		var state string
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) &&
			state != "down"; time.Sleep(10 * time.Millisecond) {
			rec = call(s.Handler(), "GET", path, "")
			var body struct {
				ActionServer *actionclient.Status `json:"action_server"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil ||
				body.ActionServer == nil {
				t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
			}
			state = body.ActionServer.State
		}
		if rec.Code != 200 || state != "down" {
			t.Errorf("%s: %d %s; want 200 with the action server down", path, rec.Code, rec.Body)
		}
	}
}
