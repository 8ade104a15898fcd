package sdk

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const trackerJSON = `{"sender_id":"u1","slots":{"name":"Ada","requested_slot":null},
"latest_message":{"text":"hi","intent":{"name":"greet","confidence":0.9},"entities":[]},
"events":[],"active_loop":{},"latest_action_name":"action_listen"}`

func callBody(action string) string {
	return `{"next_action":"` + action + `","sender_id":"u1","tracker":` + trackerJSON +
		`,"domain":{"responses":{"utter_greet":[{"text":"hi"}]}},"version":"3.6.20"}`
}

// testRegistry holds an action of each outcome.
func testRegistry(t testing.TB) *Registry {
	t.Helper()
	reg := NewRegistry()
	reg.MustRegister(
		NewAction("action_hello", func(_ context.Context, d *Dispatcher, tr *Tracker,
			dom Domain) ([]Event, error) {
			d.UtterText("Hello " + tr.GetSlot("name").(string))
			if dom.HasResponse("utter_greet") {
				d.UtterResponse("utter_greet", map[string]any{"mood": "good"})
			}
			return []Event{SlotSet("greeted", true)}, nil
		}),
		NewAction("action_reject", func(context.Context, *Dispatcher, *Tracker,
			Domain) ([]Event, error) {
			return nil, Reject("the form is not active")
		}),
		NewAction("action_reject_bare", func(context.Context, *Dispatcher, *Tracker,
			Domain) ([]Event, error) {
			return nil, ErrRejected
		}),
		NewAction("action_fail", func(context.Context, *Dispatcher, *Tracker,
			Domain) ([]Event, error) {
			return nil, errors.New("database down")
		}),
		NewAction("action_panic", func(context.Context, *Dispatcher, *Tracker,
			Domain) ([]Event, error) {
			var names []string
			_ = names[3] // an index out of range panics
			return nil, nil
		}),
		NewAction("action_untyped_event", func(context.Context, *Dispatcher, *Tracker,
			Domain) ([]Event, error) {
			return []Event{{"name": "x"}}, nil
		}),
	)
	return reg
}

func post(t *testing.T, h http.Handler, body []byte, hdr map[string]string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("answer is not a JSON object: %v: %s", err, rec.Body.String())
	}
	return rec.Code, out
}

// TestWebhookStatusCodes checks every status code of the SDK's webhook.
func TestWebhookStatusCodes(t *testing.T) {
	srv := NewServer(testRegistry(t), ServerOptions{})
	cases := []struct {
		name   string
		body   string
		status int
		want   map[string]any
	}{
		{"ok", callBody("action_hello"), 200, map[string]any{
			"events": []any{map[string]any{"event": "slot", "timestamp": nil,
				"name": "greeted", "value": true}},
			"responses": []any{
				message(map[string]any{"text": "Hello Ada"}),
				message(map[string]any{"template": "utter_greet", "response": "utter_greet",
					"mood": "good"}),
			}}},
		{"empty body", "", 400, map[string]any{"error": "Invalid body request"}},
		{"not JSON", "{", 400, map[string]any{"error": "Invalid body request"}},
		{"no action", `{"tracker":{}}`, 400, map[string]any{"error": "Invalid body request"}},
		{"rejection", callBody("action_reject"), 400, map[string]any{
			"error": "the form is not active", "action_name": "action_reject"}},
		{"bare rejection", callBody("action_reject_bare"), 400, map[string]any{
			"error":       "Custom action 'action_reject_bare' rejected to run",
			"action_name": "action_reject_bare"}},
		{"unknown action", callBody("action_nope"), 404, map[string]any{
			"error":       "No registered action found for name 'action_nope'.",
			"action_name": "action_nope"}},
	}
	for _, tc := range cases {
		status, got := post(t, srv, []byte(tc.body), nil)
		if status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, status, tc.status)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// message returns the SDK's JSON of a message with the given keys set.
func message(set map[string]any) map[string]any {
	m := map[string]any{"text": nil, "buttons": []any{}, "elements": []any{},
		"custom": map[string]any{}, "template": nil, "response": nil, "image": nil,
		"attachment": nil}
	for k, v := range set {
		m[k] = v
	}
	return m
}

// TestWebhookFailures checks the 500 answers: an error, a panic, and
// events without a type. Each echoes the request body.
func TestWebhookFailures(t *testing.T) {
	srv := NewServer(testRegistry(t), ServerOptions{})
	for action, msg := range map[string]string{
		"action_fail":          "database down",
		"action_panic":         "action action_panic panicked",
		"action_untyped_event": "without an \"event\" type",
	} {
		status, got := post(t, srv, []byte(callBody(action)), nil)
		if status != 500 {
			t.Errorf("%s: status %d", action, status)
		}
		if e, _ := got["error"].(string); !strings.Contains(e, msg) {
			t.Errorf("%s: error %q lacks %q", action, e, msg)
		}
		body, _ := got["request_body"].(map[string]any)
		if body["next_action"] != action {
			t.Errorf("%s: request_body = %v", action, got["request_body"])
		}
	}
}

// TestWebhookDeflate posts a zlib body with Content-Encoding: deflate.
func TestWebhookDeflate(t *testing.T) {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	_, _ = w.Write([]byte(callBody("action_hello")))
	_ = w.Close()
	srv := NewServer(testRegistry(t), ServerOptions{})
	status, got := post(t, srv, b.Bytes(), map[string]string{"Content-Encoding": "deflate"})
	if status != 200 || len(got["events"].([]any)) != 1 {
		t.Errorf("status %d, answer %v", status, got)
	}
	status, _ = post(t, srv, []byte("not zlib"), map[string]string{"Content-Encoding": "deflate"})
	if status != 400 {
		t.Errorf("bad deflate body: status %d, want 400", status)
	}
}

// TestHealthAndActions checks the GET endpoints and that other methods are
// refused.
func TestHealthAndActions(t *testing.T) {
	srv := httptest.NewServer(NewServer(testRegistry(t), ServerOptions{}))
	defer srv.Close()
	for path, want := range map[string]string{
		"/health": `{"status":"ok"}`,
		"/actions": `[{"name":"action_fail"},{"name":"action_hello"},{"name":"action_panic"},` +
			`{"name":"action_reject"},{"name":"action_reject_bare"},` +
			`{"name":"action_untyped_event"}]`,
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != want {
			t.Errorf("%s: %d %s", path, resp.StatusCode, body)
		}
	}
	resp, err := http.Get(srv.URL + "/webhook")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /webhook: %d", resp.StatusCode)
	}
}

// TestCORS checks that CORS is off by default and on for listed origins.
func TestCORS(t *testing.T) {
	get := func(opts ServerOptions, method, origin string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, "/health", nil)
		req.Header.Set("Origin", origin)
		rec := httptest.NewRecorder()
		NewServer(NewRegistry(), opts).ServeHTTP(rec, req)
		return rec
	}
	if h := get(ServerOptions{}, "GET", "https://a.example").Header().
		Get("Access-Control-Allow-Origin"); h != "" {
		t.Errorf("CORS on by default: %q", h)
	}
	opts := ServerOptions{AllowedOrigins: []string{"https://a.example"}}
	if h := get(opts, "GET", "https://a.example").Header().
		Get("Access-Control-Allow-Origin"); h != "https://a.example" {
		t.Errorf("allowed origin: %q", h)
	}
	if h := get(opts, "GET", "https://b.example").Header().
		Get("Access-Control-Allow-Origin"); h != "" {
		t.Errorf("other origin allowed: %q", h)
	}
	if rec := get(opts, "OPTIONS", "https://a.example"); rec.Code != http.StatusNoContent {
		t.Errorf("preflight: %d", rec.Code)
	}
}

// TestRegisterDuplicate checks that a name is registered once.
func TestRegisterDuplicate(t *testing.T) {
	reg := testRegistry(t)
	a := NewAction("action_new", nil)
	err := reg.Register(a, NewAction("action_hello", nil))
	if !errors.Is(err, ErrDuplicateAction) || reg.Has("action_new") {
		t.Errorf("error = %v; action_new registered: %v", err, reg.Has("action_new"))
	}
	if err := reg.Register(a, a); !errors.Is(err, ErrDuplicateAction) {
		t.Errorf("same name twice in one call: %v", err)
	}
	if err := reg.Register(NewAction("", nil)); err == nil {
		t.Error("an empty name was accepted")
	}
}

// TestHandleMatchesServer checks that Handle gives the server's answers.
func TestHandleMatchesServer(t *testing.T) {
	reg := testRegistry(t)
	srv := NewServer(reg, ServerOptions{})
	for _, action := range []string{"action_hello", "action_reject", "action_nope"} {
		body := []byte(callBody(action))
		out, status := reg.Handle(context.Background(), body)
		wantStatus, want := post(t, srv, body, nil)
		var got map[string]any
		_ = json.Unmarshal(out, &got)
		if status != wantStatus || !cmp.Equal(got, want) {
			t.Errorf("%s: Handle gave %d %s", action, status, out)
		}
	}
}
