package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parley-chat/parley/internal/model"
)

func TestParse(t *testing.T) {
	s, _ := newTestServer(t, Options{EnableAPI: true}, true)
	cases := []struct {
		name, body string
		status     int
		reason     string
		intent     any
	}{
		{"text", `{"text": "hello"}`, 200, "", "greet"},
		{"empty text", `{"text": ""}`, 200, "", nil},
		{"only spaces", `{"text": "   \t"}`, 200, "", nil},
		{"no text", `{"message_id": "x"}`, 400, ReasonBadRequest, nil},
		{"null text", `{"text": null}`, 400, ReasonBadRequest, nil},
		{"bad JSON", `{"text": `, 400, ReasonBadRequest, nil},
		{"not an object", `["hello"]`, 400, ReasonBadRequest, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := call(s.Handler(), "POST", "/model/parse", c.body)
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, c.status, rec.Body)
			}
			body := decodeBody[map[string]any](t, rec.Body.Bytes())
			if c.reason != "" {
				checkErrorBody(t, body, c.status, c.reason)
				return
			}
			intent := body["intent"].(map[string]any)
			if intent["name"] != c.intent {
				t.Errorf("intent %v, want %v", intent["name"], c.intent)
			}
			if c.intent == nil && intent["confidence"] != 0.0 {
				t.Errorf("confidence of an empty message = %v, want 0", intent["confidence"])
			}
		})
	}
}

// checkErrorBody checks Rasa's error body shape.
func checkErrorBody(t *testing.T, body map[string]any, status int, reason string) {
	t.Helper()
	if body["status"] != "failure" || body["reason"] != reason || body["code"] != float64(status) ||
		body["version"] != model.Version || body["message"] == "" {
		t.Errorf("error body %v, want status failure, reason %s, code %d", body, reason, status)
	}
	for _, key := range []string{"details", "help"} {
		if _, ok := body[key]; !ok {
			t.Errorf("error body lacks %q: %v", key, body)
		}
	}
}

func TestRESTSplitsMessages(t *testing.T) {
	s, _ := newTestServer(t, Options{}, true)
	rec := call(s.Handler(), "POST", "/webhooks/rest/webhook",
		`{"sender": "u1", "message": "I am sad", "metadata": {"a": 1}}`)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	got := decodeBody[[]map[string]any](t, rec.Body.Bytes())
	want := []map[string]any{
		{"recipient_id": "u1", "text": "Here is something to cheer you up:"},
		{"recipient_id": "u1", "image": "https://i.imgur.com/nGF1K8f.jpg"},
		{"recipient_id": "u1", "text": "Did that help you?"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

func TestRESTBadRequests(t *testing.T) {
	s, _ := newTestServer(t, Options{MaxBodyBytes: 100}, true)
	cases := []struct {
		name, body string
		status     int
		reason     string
	}{
		{"no sender", `{"message": "hi"}`, 400, ReasonBadRequest},
		{"empty sender", `{"sender": "", "message": "hi"}`, 400, ReasonBadRequest},
		{"object sender", `{"sender": {}, "message": "hi"}`, 400, ReasonBadRequest},
		{"no message", `{"sender": "u1"}`, 400, ReasonBadRequest},
		{"bad JSON", `{"sender": "u1", `, 400, ReasonBadRequest},
		{"too large", `{"sender": "u1", "message": "` + strings.Repeat("x", 200) + `"}`,
			413, ReasonTooLarge},
		{"turn fails", `{"sender": "u1", "message": "fail"}`, 500, ReasonConversationError},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := call(s.Handler(), "POST", "/webhooks/rest/webhook", c.body)
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, c.status, rec.Body)
			}
			checkErrorBody(t, decodeBody[map[string]any](t, rec.Body.Bytes()), c.status, c.reason)
		})
	}
	rec := call(s.Handler(), "POST", "/webhooks/rest/webhook", `{"sender": 42, "message": "hi"}`)
	if got := decodeBody[[]map[string]any](t, rec.Body.Bytes()); rec.Code != 200 ||
		got[0]["recipient_id"] != "42" {
		t.Errorf("numeric sender: %d %s", rec.Code, rec.Body)
	}
}

func TestConflictWhileTraining(t *testing.T) {
	s, _ := newTestServer(t, Options{EnableAPI: true}, false)
	release := make(chan struct{})
	s.StartTraining(context.Background(), func(context.Context) (*model.Model, error) {
		<-release
		return testModel(), nil
	})
	for _, req := range []struct{ path, body string }{
		{"/webhooks/rest/webhook", `{"sender": "u1", "message": "hi"}`},
		{"/model/parse", `{"text": "hi"}`},
	} {
		rec := call(s.Handler(), "POST", req.path, req.body)
		if rec.Code != http.StatusConflict {
			t.Fatalf("%s while training: %d, want 409", req.path, rec.Code)
		}
		body := decodeBody[map[string]any](t, rec.Body.Bytes())
		checkErrorBody(t, body, 409, ReasonConflict)
		if !strings.Contains(body["message"].(string), "being trained") {
			t.Errorf("409 message does not say the model is being trained: %v", body["message"])
		}
	}
	status := decodeBody[map[string]any](t, call(s.Handler(), "GET", "/status", "").Body.Bytes())
	if status["num_active_training_jobs"] != 1.0 || status["model_file"] != nil {
		t.Errorf("status while training: %v", status)
	}
	close(release)
	waitFor(t, func() bool { return s.current.Load() != nil })
	if rec := call(s.Handler(), "POST", "/model/parse", `{"text": "hi"}`); rec.Code != 200 {
		t.Errorf("parse after training: %d %s", rec.Code, rec.Body)
	}
}

func TestTrainingFailureIsExplained(t *testing.T) {
	s, _ := newTestServer(t, Options{}, false)
	s.StartTraining(context.Background(), func(context.Context) (*model.Model, error) {
		return nil, errors.New("domain.yml:3:1: bad intent")
	})
	waitFor(t, func() bool { return s.Training() == 0 })
	rec := call(s.Handler(), "POST", "/webhooks/rest/webhook", `{"sender": "u", "message": "hi"}`)
	body := decodeBody[map[string]any](t, rec.Body.Bytes())
	if rec.Code != 409 || !strings.Contains(body["message"].(string), "domain.yml:3:1") {
		t.Errorf("after a failed training: %d %v", rec.Code, body)
	}
}

// waitFor polls cond until it holds; the test's own deadline bounds it.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for !cond() {
		time.Sleep(5 * time.Millisecond)
	}
}

func TestUnknownChannelsWarnOnce(t *testing.T) {
	creds := map[string]map[string]any{
		"rest": nil, "socketio": {"user_message_evt": "user_uttered"},
		"facebook": {"verify": "x"}, "rasa": {"url": "http://localhost:5002/api"},
	}
	_, logs := newTestServer(t, Options{Credentials: creds}, true)
	for _, name := range []string{"facebook", "rasa"} {
		if n := strings.Count(logs.String(), "channel="+name+"\n"); n != 1 {
			t.Errorf("channel %s warned %d times, want once:\n%s", name, n, logs)
		}
	}
	for _, name := range []string{"rest", "socketio"} {
		if strings.Contains(logs.String(), "channel="+name+"\n") {
			t.Errorf("the %s channel was warned about:\n%s", name, logs)
		}
	}
}

func TestStatusVersionAndHealth(t *testing.T) {
	s, _ := newTestServer(t, Options{EnableAPI: true}, true)
	got := decodeBody[map[string]any](t, call(s.Handler(), "GET", "/status", "").Body.Bytes())
	want := map[string]any{"model_file": "20240101-000000-calm-river.tar.gz",
		"model_id": "abc123", "fingerprint": "", "num_active_training_jobs": 0.0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("status (-want +got):\n%s", diff)
	}
	v := decodeBody[map[string]any](t, call(s.Handler(), "GET", "/version", "").Body.Bytes())
	if v["version"] != model.Version || v["minimum_compatible_version"] == nil {
		t.Errorf("version: %v", v)
	}
	h := decodeBody[map[string]any](t, call(s.Handler(), "GET", "/webhooks/rest/", "").Body.Bytes())
	if h["status"] != "ok" {
		t.Errorf("rest health: %v", h)
	}
}

func TestAPIOffWithoutEnableAPI(t *testing.T) {
	s, _ := newTestServer(t, Options{}, true)
	rec := call(s.Handler(), "POST", "/model/parse", `{"text": "hi"}`)
	body := decodeBody[map[string]any](t, rec.Body.Bytes())
	if rec.Code != 404 || !strings.Contains(body["message"].(string), "--enable-api") {
		t.Errorf("parse without --enable-api: %d %v", rec.Code, body)
	}
}

func TestAuthToken(t *testing.T) {
	s, _ := newTestServer(t, Options{EnableAPI: true, AuthToken: "s3cret"}, true)
	cases := map[string]int{
		"/status": 401, "/status?token=wrong": 401, "/status?token=s3cret": 200,
		"/version": 200,
	}
	for target, status := range cases {
		if rec := call(s.Handler(), "GET", target, ""); rec.Code != status {
			t.Errorf("GET %s: %d, want %d", target, rec.Code, status)
		}
	}
	rec := call(s.Handler(), "POST", "/webhooks/rest/webhook", `{"sender": "u", "message": "hi"}`)
	if rec.Code != 200 {
		t.Errorf("the REST channel needs no token, got %d", rec.Code)
	}
}

func TestCORS(t *testing.T) {
	s, _ := newTestServer(t, Options{CORS: []string{"https://shop.example"}}, true)
	req := func(method, origin string) http.Header {
		r, _ := http.NewRequest(method, "/webhooks/rest/webhook", strings.NewReader(`{}`))
		r.Header.Set("Origin", origin)
		r.Header.Set("Access-Control-Request-Method", "POST")
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, r)
		return rec.Header()
	}
	if got := req("OPTIONS", "https://shop.example").Get("Access-Control-Allow-Origin"); got !=
		"https://shop.example" {
		t.Errorf("preflight from an allowed origin: %q", got)
	}
	if got := req("OPTIONS", "https://evil.example").Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("preflight from another origin allowed: %q", got)
	}
}

func TestUnknownPath(t *testing.T) {
	s, _ := newTestServer(t, Options{}, true)
	if rec := call(s.Handler(), "GET", "/nothing-here", ""); rec.Code != 404 {
		t.Errorf("unknown path: %d", rec.Code)
	}
}

// TestTrainingDataHasItsOwnBodyLimit: /model/train and /model/test/* take
// a project's data, larger than a message: they have MaxTrainBodyBytes,
// every other route MaxBodyBytes.
func TestTrainingDataHasItsOwnBodyLimit(t *testing.T) {
	s, _ := newTestServer(t, Options{EnableAPI: true, MaxBodyBytes: 100,
		MaxTrainBodyBytes: 4000}, true)
	medium := "nlu:\n- intent: greet\n  examples: |\n" + strings.Repeat("    - hello there\n", 50)
	for _, path := range []string{"/model/train"} {
		if rec := call(s.Handler(), "POST", path, medium); rec.Code == 413 {
			t.Errorf("%s: a %d-byte body got 413 under a 4000-byte limit", path, len(medium))
		}
		huge := medium + strings.Repeat("    - good morning\n", 300)
		if rec := call(s.Handler(), "POST", path, huge); rec.Code != 413 {
			t.Errorf("%s: a %d-byte body got %d, want 413", path, len(huge), rec.Code)
		}
	}
	if rec := call(s.Handler(), "POST", "/model/parse", `{"text": "`+strings.Repeat("x", 200)+
		`"}`); rec.Code != 413 {
		t.Errorf("/model/parse: %d, want 413 over MaxBodyBytes", rec.Code)
	}
}

// TestErrorDetailInDevelopment: with ErrorDetail (development) a failure's
// cause, otherwise only logged, is in details.error; without it the answer
// only points at the log.
func TestErrorDetailInDevelopment(t *testing.T) {
	for _, detail := range []bool{true, false} {
		s, _ := newTestServer(t, Options{ErrorDetail: detail}, true)
		rec := call(s.Handler(), "POST", "/webhooks/rest/webhook",
			`{"sender": "u1", "message": "fail"}`)
		body := decodeBody[map[string]any](t, rec.Body.Bytes())
		details, _ := body["details"].(map[string]any)
		cause, shown := details["error"].(string)
		if rec.Code != 500 || shown != detail || (detail && cause == "") {
			t.Errorf("ErrorDetail %v: %d, details %v", detail, rec.Code, body["details"])
		}
	}
}

// TestSecurityHeadersOnEveryAnswer: answers that are not pages (a 404, the
// API's JSON) carry nosniff and a policy that loads nothing; the chat page
// keeps its own policy.
func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	s, _ := newTestServer(t, Options{EnableAPI: true}, true)
	for _, path := range []string{"/nope", "/inspect/nope", "/version"} {
		rec := call(s.Handler(), "GET", path, "")
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" ||
			rec.Header().Get("Content-Security-Policy") != "default-src 'none'; frame-ancestors 'none'" {
			t.Errorf("%s (%d): headers %v", path, rec.Code, rec.Header())
		}
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Host = "localhost"
	req.Header.Set("Accept", "text/html")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if csp := rec.Header().Get("Content-Security-Policy"); rec.Code != 200 ||
		!strings.Contains(csp, "script-src") {
		t.Errorf("the chat page: %d, policy %q", rec.Code, csp)
	}
}

// TestPartialModelIsWarnedAbout: a model trained with train core or train
// nlu is loaded with a warning that says what it cannot do.
func TestPartialModelIsWarnedAbout(t *testing.T) {
	s, logs := newTestServer(t, Options{}, false)
	core := testModel() // policies and no NLU part
	s.SetModel(core)
	if !strings.Contains(logs.String(), "no NLU part") {
		t.Errorf("a core-only model was loaded without a warning:\n%s", logs)
	}
	logs.Reset()
	nluOnly := testModel()
	nluOnly.Policies, nluOnly.NLU = nil, trainBot(t, t.TempDir()).NLU
	s.SetModel(nluOnly)
	if !strings.Contains(logs.String(), "no dialogue part") {
		t.Errorf("an NLU-only model was loaded without a warning:\n%s", logs)
	}
}
