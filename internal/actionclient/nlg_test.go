package actionclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func newNLG(t *testing.T, url string) *NLGClient {
	t.Helper()
	cfg, err := ParseConfig(map[string]any{"url": url, "timeout": 5})
	if err != nil {
		t.Fatal(err)
	}
	n, err := NewNLG(cfg, Options{InContainer: func() bool { return false }})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestNLGRequestShape checks the body Rasa's NLG callback sends and the
// message returned.
func TestNLGRequestShape(t *testing.T) {
	var got map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &got)
		_, _ = w.Write([]byte(`{"text":"Hi Ada","buttons":[{"title":"ok","payload":"/ok"}]}`))
	}))
	defer srv.Close()
	msg, err := newNLG(t, srv.URL).Generate(context.Background(), NLGRequest{
		Response: "utter_greet", Arguments: map[string]any{"name": "Ada"},
		Tracker: json.RawMessage(`{"sender_id":"u1"}`), Channel: "rest"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"response":  "utter_greet",
		"id":        nil,
		"arguments": map[string]any{"name": "Ada"},
		"tracker":   map[string]any{"sender_id": "u1"},
		"channel":   map[string]any{"name": "rest"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	if msg["text"] != "Hi Ada" || len(msg["buttons"].([]any)) != 1 {
		t.Errorf("message = %v", msg)
	}
}

// TestNLGFailures checks the errors the caller falls back on.
func TestNLGFailures(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		want   error
	}{
		{"server error", 500, `{"error":"boom"}`, ErrServer},
		{"not found", 404, `nope`, ErrStatus},
		{"not JSON", 200, `<html>`, ErrInvalidResponse},
		{"text not a string", 200, `{"text": 3}`, ErrInvalidResponse},
		{"buttons not a list", 200, `{"text": "a", "buttons": {}}`, ErrInvalidResponse},
	}
	for _, tc := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		}))
		_, err := newNLG(t, srv.URL).Generate(context.Background(),
			NLGRequest{Response: "utter_greet"})
		srv.Close()
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: error = %v, want %v", tc.name, err, tc.want)
		}
		wantNLGWording(t, tc.name, err)
	}
	_, err := newNLG(t, "http://"+closedPort(t)+"/nlg").Generate(context.Background(),
		NLGRequest{Response: "utter_greet"})
	if !errors.Is(err, ErrUnreachable) {
		t.Errorf("stopped server: error = %v, want ErrUnreachable", err)
	}
	wantNLGWording(t, "stopped server", err)
}

// wantNLGWording wants an NLG error to name the nlg server, never the
// action server, in its message and hint.
func wantNLGWording(t *testing.T, name string, err error) {
	t.Helper()
	if msg := fmt.Sprint(err); !strings.Contains(msg, "nlg server") ||
		strings.Contains(msg, "action server") || strings.Contains(msg, "action-server") {
		t.Errorf("%s: the message must name the nlg server only: %s", name, msg)
	}
}

// TestNLGTimeout checks the NLG deadline.
func TestNLGTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	n := newNLG(t, srv.URL)
	n.ep.cfg.Timeout = 50 * time.Millisecond
	_, err := n.Generate(context.Background(), NLGRequest{Response: "utter_greet"})
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("error = %v, want ErrTimeout", err)
	}
}

// TestNLGNeedsURL checks the constructor.
func TestNLGNeedsURL(t *testing.T) {
	if _, err := NewNLG(Config{}, Options{}); !errors.Is(err, ErrConfig) {
		t.Errorf("error = %v, want ErrConfig", err)
	}
}
