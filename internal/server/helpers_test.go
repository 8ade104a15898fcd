package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/policy"
)

// moodAgent answers like moodbot: "I am sad" gets utter_cheer_up (text and
// image), anything else utter_greet; "fail" makes the turn fail.
type moodAgent struct{}

func (moodAgent) HandleMessage(_ context.Context, msg agent.UserMessage) ([]event.Event, error) {
	switch msg.Text {
	case "fail":
		return nil, errors.New("the action server is down")
	case "I am sad":
		return []event.Event{
			{Type: event.Action, Name: "utter_cheer_up"},
			{Type: event.Bot, Text: "Here is something to cheer you up:",
				Data: &event.BotData{Image: "https://i.imgur.com/nGF1K8f.jpg"}},
			{Type: event.Bot, Text: "Did that help you?"},
		}, nil
	}
	return []event.Event{{Type: event.Bot, Text: "Hey! How are you? 👋🇩🇪"}}, nil
}

// fixedParser gives every message the intent greet.
type fixedParser struct{}

func (fixedParser) Parse(text string) nlu.Parse {
	in := nlu.Intent{Name: "greet", Confidence: 0.9}
	return nlu.Parse{Text: text, Intent: in, IntentRanking: []nlu.Intent{in},
		Entities: []nlu.Entity{}}
}

// testModel is a model with both parts (their content unused here).
func testModel() *model.Model {
	return &model.Model{
		Path:     "/project/models/20240101-000000-calm-river.tar.gz",
		Metadata: model.Metadata{ModelID: "abc123", TrainingType: model.TrainBoth},
		Domain:   &domain.Domain{},
		Policies: &policy.Ensemble{},
	}
}

// newTestServer returns a server with the fake agent and parser; with
// loaded set it already has testModel. Logs go to the returned buffer.
func newTestServer(t *testing.T, opts Options, load bool) (*Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	opts.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts.NewAgent = func(*model.Model) Agent { return moodAgent{} }
	opts.NewParser = func(*model.Model) Parser { return fixedParser{} }
	s := New(opts)
	t.Cleanup(s.Close)
	if load {
		s.SetModel(testModel())
	}
	return s, &logs
}

// call sends one request to h and returns the recorder.
func call(h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// decodeBody decodes a JSON answer.
func decodeBody[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, body)
	}
	return v
}
