package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/parley-chat/parley/internal/event"
)

// conversationScript is what the user says in TestSameEventsOnEveryPath.
var conversationScript = []string{"hello", "/mood_unhappy", "yes", "I live in Berlin", "bye"}

// TestSameEventsOnEveryPath holds one conversation three ways: through the
// REST channel, through the socket.io channel, and through the API with
// /messages followed by /predict and /execute until action_listen. The
// stored events must be the same (types, intents, entities, actions and
// their policies, slots, bot texts), timestamps, message ids, input
// channels and metadata aside.
func TestSameEventsOnEveryPath(t *testing.T) {
	creds := map[string]map[string]any{"socketio": {"session_persistence": true}}
	s, _ := botServer(t, Options{Credentials: creds, EnableAPI: true})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	for _, text := range conversationScript {
		rec := call(s.Handler(), "POST", "/webhooks/rest/webhook",
			fmt.Sprintf(`{"sender": "via-rest", "message": %q}`, text))
		if rec.Code != 200 {
			t.Fatalf("rest %q: %d %s", text, rec.Code, rec.Body)
		}
	}
	c := dialSocketIO(t, ts.URL)
	c.session("via-socketio")
	replies := []int{1, 3, 1, 1, 1}
	for i, text := range conversationScript {
		c.say("via-socketio", text, nil, replies[i])
	}
	for _, text := range conversationScript {
		apiTurn(t, s, "via-api", text)
	}

	rest := normalized(t, s, "via-rest")
	for _, id := range []string{"via-socketio", "via-api"} {
		if got := normalized(t, s, id); !slices.Equal(got, rest) {
			t.Errorf("%s differs from rest:\n%s\nrest:\n%s", id, got, rest)
		}
	}
	if len(rest) < 20 {
		t.Errorf("the conversation is too short to mean much: %q", rest)
	}
}

// apiTurn logs a message with /messages, then predicts and executes until
// the prediction is action_listen (which is executed too).
func apiTurn(t *testing.T, s *Server, id, text string) {
	t.Helper()
	rec := call(s.Handler(), "POST", "/conversations/"+id+"/messages",
		fmt.Sprintf(`{"text": %q, "sender": "user"}`, text))
	if rec.Code != 200 {
		t.Fatalf("messages %q: %d %s", text, rec.Code, rec.Body)
	}
	for range 10 {
		var p struct {
			Scores     []struct{ Action string } `json:"scores"`
			Policy     string                    `json:"policy"`
			Confidence float64                   `json:"confidence"`
		}
		rec := call(s.Handler(), "POST", "/conversations/"+id+"/predict", "")
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || len(p.Scores) == 0 {
			t.Fatalf("predict: %d %s", rec.Code, rec.Body)
		}
		action := p.Scores[0].Action
		body, _ := json.Marshal(map[string]any{"name": action, "policy": p.Policy,
			"confidence": p.Confidence})
		if rec := call(s.Handler(), "POST", "/conversations/"+id+"/execute",
			string(body)); rec.Code != 200 {
			t.Fatalf("execute %s: %d %s", action, rec.Code, rec.Body)
		}
		if action == "action_listen" {
			return
		}
	}
	t.Fatalf("%q: no action_listen after 10 actions", text)
}

// normalized returns the stored events of a conversation as comparable
// lines.
func normalized(t *testing.T, s *Server, id string) []string {
	t.Helper()
	events, err := s.opts.Store.Load(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		line := e.Type
		switch e.Type {
		case event.User:
			p := e.Parse
			ents, _ := json.Marshal(p.Entities)
			line += fmt.Sprintf(" %q intent=%s %.6f entities=%s", e.Text, p.Intent.Name,
				p.Intent.Confidence, ents)
		case event.Action:
			conf := "null"
			if e.Confidence != nil {
				conf = fmt.Sprintf("%.6f", *e.Confidence)
			}
			line += fmt.Sprintf(" %s policy=%s confidence=%s", e.Name, e.Policy, conf)
		case event.Slot:
			v, _ := json.Marshal(e.Value)
			line += fmt.Sprintf(" %s=%s", e.Name, v)
		case event.Bot:
			data, _ := json.Marshal(e.Data)
			line += fmt.Sprintf(" %q %s", e.Text, data)
		}
		out = append(out, line)
	}
	return out
}
