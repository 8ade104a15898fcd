package actionclient

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/domain"
)

// turnCase is one entry of testdata/turns.json: how the action server
// answers action_hello, and what the conversation holds afterwards.
type turnCase struct {
	Name   string          `json:"name"`
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
	// Raw is sent as the body instead of Body.
	Raw string `json:"raw"`
	// Hang never answers (the call times out); Refused calls a closed port.
	Hang    bool `json:"hang"`
	Refused bool `json:"refused"`
	// FailureResponse, when set, is the domain's utter_action_failed.
	FailureResponse string `json:"failure_response"`
	// WantEvents summarise the events after the user message ($apology is
	// action.DefaultFailureText); WantReplies are the bot's texts.
	WantEvents  []string `json:"want_events"`
	WantReplies []string `json:"want_replies"`
	WantUp      bool     `json:"want_up"`
}

// answer answers as the case says; a hanging answer waits for release.
func (c turnCase) answer(release <-chan struct{}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if c.Hang {
			_, _ = io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		c.write(w)
	}
}

func (c turnCase) write(w http.ResponseWriter) {
	body := []byte(c.Raw)
	if c.Raw == "" {
		body = c.Body
	}
	w.WriteHeader(c.Status)
	_, _ = w.Write(body)
}

func apology(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.ReplaceAll(s, "$apology", action.DefaultFailureText)
	}
	return out
}

// TestTurnContract runs one turn per case of testdata/turns.json through
// the agent and checks the tracker, the replies and the server's state.
func TestTurnContract(t *testing.T) {
	var cases []turnCase
	if err := json.Unmarshal(readTestdata(t, "turns.json"), &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			release := make(chan struct{})
			srv := httptest.NewServer(c.answer(release))
			defer srv.Close()
			defer close(release)
			url := srv.URL + "/webhook"
			if c.Refused {
				url = "http://" + closedPort(t) + "/webhook"
			}
			client := newClient(t, url, func(cfg *Config) { cfg.Timeout = 200 * time.Millisecond },
				Options{})
			d := shopDomain()
			if c.FailureResponse != "" {
				d.Responses[action.FailedResponse] = []domain.Response{{Text: c.FailureResponse}}
			}
			s := newShop(t, d, NewRunner(client))
			got := s.say(t, "c1", "/greet")
			if !slices.Equal(got, apology(c.WantReplies)) {
				t.Errorf("replies %q, want %q", got, apology(c.WantReplies))
			}
			events := s.eventsAfterUser(t, "c1")
			if !slices.Equal(events, apology(c.WantEvents)) {
				t.Errorf("events:\n%s\nwant:\n%s", strings.Join(events, "\n"),
					strings.Join(apology(c.WantEvents), "\n"))
			}
			if st := StatusOf(s.runner); st == nil || st.Up != c.WantUp {
				t.Errorf("status %+v, want up=%v", st, c.WantUp)
			}
		})
	}
}

// TestTurnRequestGolden checks the exact call the agent sends for the
// second turn of a conversation: the tracker with the events of the
// current session, the domain and the version.
func TestTurnRequestGolden(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	client := newClient(t, srv.URL+"/webhook", nil, Options{})
	s := newShop(t, shopDomain(), NewRunner(client))
	s.say(t, "golden", "/greet")
	s.say(t, "golden", `/greet{"name": "Ada"}`)
	if len(rec.reqs) != 2 {
		t.Fatalf("%d calls, want 2", len(rec.reqs))
	}
	checkGolden(t, "turn_request.golden", []string{"action_hello"},
		map[string]string{"action_hello": indent(t, rec.last(t).body)})
}

// TestStatusOf reports the endpoint and the in-process actions, and the
// server's state: unknown at first while a probe of its /health runs in
// the background, then what the probe and the calls found.
func TestStatusOf(t *testing.T) {
	ctx := context.Background()
	if StatusOf(nil) != nil {
		t.Error("StatusOf(nil) is not nil")
	}
	c := newClient(t, "http://"+closedPort(t)+"/webhook", nil, Options{Local: goActions(t)})
	st := StatusOf(NewRunner(c))
	if st == nil || st.State != "unknown" || st.URL == "" || len(st.InProcess) != 3 {
		t.Fatalf("before anything is known: status %+v, want unknown", st)
	}
	if st := eventually(t, NewRunner(c), "down"); st.Up || !strings.Contains(st.LastError,
		"/health") {
		t.Errorf("a closed port after the probe: %+v", st)
	}
	if _, err := c.Call(ctx, testRequest(t, "action_elsewhere")); err == nil {
		t.Fatal("a call to a closed port succeeded")
	}
	if st := StatusOf(NewRunner(c)); st.Up || st.LastError == "" || st.Since == nil {
		t.Errorf("after a refused call: %+v", st)
	}

	var probes atomic.Int32
	failing := atomic.Bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/health" {
			probes.Add(1)
			io.WriteString(w, `{"status":"ok"}`)
			return
		}
		if failing.Load() {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"error":"boom"}`)
			return
		}
		io.WriteString(w, `{"events":[],"responses":[]}`)
	}))
	defer srv.Close()
	live := newClient(t, srv.URL+"/webhook", nil, Options{})
	eventually(t, NewRunner(live), "up")
	for range 3 {
		if st := StatusOf(NewRunner(live)); st.State != "up" {
			t.Errorf("a live server: %+v", st)
		}
	}
	if probes.Load() != 1 {
		t.Errorf("%d probes of /health, want one while the answer is fresh", probes.Load())
	}
	// A 5xx of an action makes it down, and a /health that answers does
	// not make it up again: only a call that succeeds does.
	failing.Store(true)
	if _, err := live.Call(ctx, testRequest(t, "action_x")); err == nil {
		t.Fatal("a 500 succeeded")
	}
	live.health.mu.Lock()
	live.health.state.checked = time.Now().Add(-time.Hour)
	live.health.mu.Unlock()
	StatusOf(NewRunner(live))
	time.Sleep(100 * time.Millisecond)
	if st := StatusOf(NewRunner(live)); st.State != "down" {
		t.Errorf("after a 500, a probe made the server %s", st.State)
	}
	failing.Store(false)
	if _, err := live.Call(ctx, testRequest(t, "action_x")); err != nil {
		t.Fatal(err)
	}
	if st := StatusOf(NewRunner(live)); st.State != "up" {
		t.Errorf("after a call that worked: %+v", st)
	}
	if st := StatusOf(NewRunner(newClient(t, "", nil, Options{}))); st.State != "none" {
		t.Errorf("no action endpoint: %+v, want state none", st)
	}
}

// eventually waits up to 5 s for the status of r to reach state.
func eventually(t *testing.T, r *Runner, state string) *Status {
	t.Helper()
	var st *Status
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if st = StatusOf(r); st.State == state {
			return st
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the status stayed %+v, want %s", st, state)
	return st
}
