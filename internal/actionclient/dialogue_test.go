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
			if st := StatusOf(context.Background(), s.runner); st == nil || st.Up != c.WantUp {
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
// server's state: probed on its /health before any call, then from calls.
func TestStatusOf(t *testing.T) {
	ctx := context.Background()
	if StatusOf(ctx, nil) != nil {
		t.Error("StatusOf(nil) is not nil")
	}
	c := newClient(t, "http://"+closedPort(t)+"/webhook", nil, Options{Local: goActions(t)})
	st := StatusOf(ctx, NewRunner(c))
	if st == nil || st.State != "down" || st.Up || st.URL == "" || len(st.InProcess) != 3 {
		t.Fatalf("a closed port before any call: status %+v, want down", st)
	}
	if _, err := c.Call(ctx, testRequest(t, "action_elsewhere")); err == nil {
		t.Fatal("a call to a closed port succeeded")
	}
	if st := StatusOf(ctx, NewRunner(c)); st.Up || st.LastError == "" || st.Since == nil {
		t.Errorf("after a refused call: %+v", st)
	}

	var probes atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/health" {
			probes.Add(1)
		}
		io.WriteString(w, `{"status":"ok"}`)
	}))
	defer srv.Close()
	up := NewRunner(newClient(t, srv.URL+"/webhook", nil, Options{}))
	for range 3 {
		if st := StatusOf(ctx, up); st.State != "up" || !st.Up {
			t.Errorf("a live server before any call: %+v, want up", st)
		}
	}
	if probes.Load() != 1 {
		t.Errorf("%d probes of /health, want one for the first status only", probes.Load())
	}
	if st := StatusOf(ctx, NewRunner(newClient(t, "", nil, Options{}))); st.State != "none" {
		t.Errorf("no action endpoint: %+v, want state none", st)
	}
}
