package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// receiver collects the bodies POSTed to it.
type receiver struct {
	srv    *httptest.Server
	bodies chan string
	types  chan string
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{bodies: make(chan string, 16), types: make(chan string, 16)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		data, _ := io.ReadAll(req.Body)
		r.types <- req.Header.Get("Content-Type")
		r.bodies <- string(data)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) next(t *testing.T) string {
	t.Helper()
	select {
	case b := <-r.bodies:
		return b
	case <-time.After(5 * time.Second):
		t.Fatal("nothing was POSTed")
	}
	return ""
}

func TestCallbackChannel(t *testing.T) {
	rcv := newReceiver(t)
	creds := map[string]map[string]any{"callback": {"url": rcv.srv.URL + "/bot"}}
	s, logs := botServer(t, Options{Credentials: creds, EnableAPI: true})
	defer func() {
		if t.Failed() {
			t.Log(logs)
		}
	}()
	for _, msg := range []string{"hello", "/mood_unhappy"} {
		rec := call(s.Handler(), "POST", "/webhooks/callback/webhook",
			`{"sender": "cb1", "message": "`+msg+`"}`)
		if rec.Code != 200 || rec.Body.String() != "success" {
			t.Fatalf("webhook: %d %q", rec.Code, rec.Body)
		}
	}
	want := []string{`{"recipient_id":"cb1","text":"Hey! How are you?","buttons":[` +
		`{"payload":"/mood_great","title":"great"},{"payload":"/mood_unhappy","title":"super sad"}]}`,
		`{"recipient_id":"cb1","text":"Here is something to cheer you up:"}`,
		`{"recipient_id":"cb1","image":"https://i.imgur.com/nGF1K8f.jpg"}`,
		`{"recipient_id":"cb1","text":"Did that help you?"}`}
	for _, w := range want {
		if got := rcv.next(t); got != w {
			t.Errorf("posted %s, want %s", got, w)
		}
	}
	// output_channel=callback sends an API turn's messages there too, and
	// the answer then holds only the tracker.
	rec := call(s.Handler(), "POST", "/conversations/cb1/trigger_intent?output_channel=callback",
		`{"name": "goodbye"}`)
	var body map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	if _, ok := body["messages"]; rec.Code != 200 || ok {
		t.Errorf("trigger_intent to callback: %d %s", rec.Code, rec.Body)
	}
	if got := rcv.next(t); got != `{"recipient_id":"cb1","text":"Bye"}` {
		t.Errorf("posted %s", got)
	}
	// execute_side_effects sends appended bot events to the latest channel.
	rec = call(s.Handler(), "POST",
		"/conversations/cb1/tracker/events?execute_side_effects=true&output_channel=latest",
		`{"event": "bot", "text": "A human takes over."}`)
	if rec.Code != 200 {
		t.Fatalf("append with side effects: %d %s", rec.Code, rec.Body)
	}
	if got := rcv.next(t); got != `{"recipient_id":"cb1","text":"A human takes over."}` {
		t.Errorf("posted %s", got)
	}
}

func TestCallbackURL(t *testing.T) {
	rcv := newReceiver(t)
	s, _ := botServer(t, Options{EnableAPI: true})
	rec := call(s.Handler(), "POST", "/model/test/intents?callback_url="+rcv.srv.URL,
		"version: \"3.1\"\nnlu:\n- intent: greet\n  examples: |\n    - hello\n")
	if rec.Code != 204 {
		t.Fatalf("with callback_url: %d %s", rec.Code, rec.Body)
	}
	if got := rcv.next(t); !strings.Contains(got, `"intent_evaluation"`) {
		t.Errorf("posted %s", got)
	}
	if ct := <-rcv.types; !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
	// A training that fails posts the error body.
	rec = call(s.Handler(), "POST", "/model/train?callback_url="+rcv.srv.URL,
		"intents:\n  - greet\nslots:\n  x:\n    type: nonsense\n")
	if rec.Code != 204 {
		t.Fatalf("train with callback_url: %d", rec.Code)
	}
	if got := rcv.next(t); !strings.Contains(got, `"status":"failure"`) {
		t.Errorf("posted %s", got)
	}
}

func TestBadCallbackCredentials(t *testing.T) {
	creds := map[string]map[string]any{"callback": {"url": "localhost:5034"}}
	s, logs := newTestServer(t, Options{Credentials: creds}, true)
	if rec := call(s.Handler(), "POST", "/webhooks/callback/webhook", `{}`); rec.Code != 404 {
		t.Errorf("a channel with a bad url is served: %d", rec.Code)
	}
	if !strings.Contains(logs.String(), "url must be an http(s) URL") {
		t.Errorf("no error logged:\n%s", logs)
	}
}
