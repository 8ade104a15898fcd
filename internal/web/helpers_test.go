package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/store"
)

// testKey is a secret key for tests.
var testKey = []byte("0123456789abcdef0123456789abcdef-test")

// fakeBot answers like a tiny moodbot and keeps its events in a tracker
// store, as the agent does.
type fakeBot struct {
	mu       sync.Mutex
	trackers store.TrackerStore
	model    *model.Model
	down     string
}

func (b *fakeBot) HandleMessage(ctx context.Context, msg agent.UserMessage) ([]event.Event,
	error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.down != "" {
		return nil, &UnavailableError{Message: b.down}
	}
	if msg.Text == "crash" {
		return nil, errors.New("the bot fell over: disk full")
	}
	intent := nlu.Intent{Name: "greet", Confidence: 0.93}
	reply := event.Event{Type: event.Bot, Text: "Hey! How are you?", Data: &event.BotData{
		Buttons: []map[string]any{{"title": "great", "payload": "/mood_great"}}}}
	switch {
	case msg.Text == "/mood_great":
		intent = nlu.Intent{Name: "mood_great", Confidence: 1}
		reply = event.Event{Type: event.Bot, Text: "Great, carry on!"}
	case strings.HasPrefix(msg.Text, "html"):
		intent = nlu.Intent{Name: "inject", Confidence: 0.5}
		reply = event.Event{Type: event.Bot, Text: `<script>alert(1)</script><b>bold</b>`}
	}
	parse := nlu.Parse{Text: msg.Text, Intent: intent, IntentRanking: []nlu.Intent{intent,
		{Name: "deny", Confidence: 0.04}}, Entities: []nlu.Entity{}}
	var slots []event.Event
	if city, ok := strings.CutPrefix(msg.Text, "in "); ok { // "in Berlin": a city
		conf := 0.97
		parse.Intent = nlu.Intent{Name: "inform", Confidence: 0.9}
		parse.Entities = []nlu.Entity{{Entity: "city", Value: city, Start: 3,
			End: 3 + len(city), Confidence: &conf, Extractor: "DIETClassifier"}}
		slots = []event.Event{{Type: event.Slot, Name: "city", Value: city,
			Timestamp: 1700000000}}
	}
	events := []event.Event{
		{Type: event.User, Text: msg.Text, Parse: &parse, InputChannel: msg.InputChannel,
			Metadata: msg.Metadata, Timestamp: 1700000000},
		{Type: event.Action, Name: "utter_x", Policy: "RulePolicy",
			Confidence: event.Confidence(1), Timestamp: 1700000001},
		reply,
		{Type: event.Action, Name: "action_listen", Policy: "RulePolicy",
			Confidence: event.Confidence(1), Timestamp: 1700000002},
	}
	events = slices.Insert(events, 1, slots...)
	if err := b.trackers.Append(ctx, msg.ConversationID, events); err != nil {
		return nil, err
	}
	return []event.Event{reply}, nil
}

func (b *fakeBot) Model() *model.Model {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.model
}

func (b *fakeBot) SetModel(m *model.Model) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.model = m
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testApp is an App served by an httptest server, with a cookie jar
// client and a log buffer.
type testApp struct {
	*App
	srv    *httptest.Server
	client *http.Client
	bot    *fakeBot
	logs   *bytes.Buffer
	clock  *fakeClock
}

// newTestApp serves an App with cfg (secret key, clock and greeting filled
// in when unset).
func newTestApp(t *testing.T, cfg Config) *testApp {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	if cfg.SecretKey == nil {
		cfg.SecretKey = testKey
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Now
	}
	if cfg.Greeting == "" {
		cfg.Greeting = "/greet"
	}
	trackers := store.NewMemory()
	bot := &fakeBot{trackers: trackers, model: &model.Model{Path: "/p/models/m1.tar.gz",
		Metadata: model.Metadata{ModelID: "abc", TrainedAt: 1700000000}}}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	app, err := New(Options{Config: cfg, Bot: bot, Trackers: trackers, Logger: log,
		Version: "9.9.9"})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	app.Mount(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	client := &http.Client{Jar: newJar(), CheckRedirect: noRedirect}
	return &testApp{App: app, srv: srv, client: client, bot: bot, logs: &logs, clock: clock}
}

// do sends a request as the chat page's fetch() would (same origin).
func (ta *testApp) do(t *testing.T, method, path, body string,
	hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, ta.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "Host" {
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := ta.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res, string(data)
}

// newJar returns an empty cookie jar: another browser.
func newJar() http.CookieJar {
	jar, _ := cookiejar.New(nil)
	return jar
}

// messages decodes a chat API answer.
func messages(t *testing.T, body string) []Message {
	t.Helper()
	var a chatAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatalf("not a chat answer: %v\n%s", err, body)
	}
	return a.Messages
}

// texts returns the texts of msgs.
func texts(msgs []Message) []string {
	out := []string{}
	for _, m := range msgs {
		out = append(out, m.From+": "+m.Text)
	}
	return out
}
