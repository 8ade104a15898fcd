package server

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	client "github.com/zishang520/socket.io/clients/socket/v3"
	"github.com/zishang520/socket.io/v3/pkg/types"

	"github.com/parley-chat/parley/internal/event"
)

// sioClient is a Socket.IO client (the protocol of socket.io-client 3 and
// 4, which rasa-webchat uses) recording what the bot emits.
type sioClient struct {
	t       *testing.T
	s       *client.Socket
	confirm chan string
	bot     chan map[string]any
}

// dialSocketIO connects to the server at url.
func dialSocketIO(t *testing.T, url string) *sioClient {
	t.Helper()
	opts := client.DefaultOptions()
	opts.SetForceNew(true)
	opts.SetReconnection(false)
	// Websocket only: this client loses packets now and then while it
	// upgrades from polling (the browser test covers polling and the
	// upgrade with socket.io-client itself).
	opts.SetTransports(types.NewSet(client.WebSocket))
	s, err := client.Connect(url, opts)
	if err != nil {
		t.Fatal(err)
	}
	c := &sioClient{t: t, s: s, confirm: make(chan string, 4), bot: make(chan map[string]any, 32)}
	_ = s.On("session_confirm", func(args ...any) {
		id, _ := first(args).(string)
		c.confirm <- id
	})
	_ = s.On("bot_uttered", func(args ...any) {
		m, _ := first(args).(map[string]any)
		c.bot <- m
	})
	t.Cleanup(func() { s.Close() })
	return c
}

func first(args []any) any {
	if len(args) == 0 {
		return nil
	}
	return args[0]
}

// session asks for a session (id may be "" for a new one) and returns the
// confirmed id.
func (c *sioClient) session(id string) string {
	c.t.Helper()
	data := map[string]any{"session_id": nil}
	if id != "" {
		data["session_id"] = id
	}
	_ = c.s.Emit("session_request", data)
	select {
	case got := <-c.confirm:
		return got
	case <-time.After(10 * time.Second):
		c.t.Fatal("no session_confirm")
	}
	return ""
}

// say sends a message and returns the bot's next n messages.
func (c *sioClient) say(session, text string, metadata map[string]any, n int) []map[string]any {
	c.t.Helper()
	msg := map[string]any{"message": text, "session_id": session}
	if metadata != nil {
		msg["customData"] = metadata
	}
	_ = c.s.Emit("user_uttered", msg)
	var out []map[string]any
	for len(out) < n {
		select {
		case m := <-c.bot:
			out = append(out, m)
		case <-time.After(10 * time.Second):
			c.t.Fatalf("%q: got %d of %d messages: %v", text, len(out), n, out)
		}
	}
	return out
}

func TestSocketIOChannel(t *testing.T) {
	creds := map[string]map[string]any{"socketio": {"session_persistence": true}}
	s, _ := botServer(t, Options{Credentials: creds, EnableAPI: true})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	c := dialSocketIO(t, ts.URL)
	id := c.session("")
	if len(id) != 32 {
		t.Fatalf("session id %q is not a uuid4 hex", id)
	}
	got := c.say(id, "hello", map[string]any{"page": "shop"}, 1)
	want := map[string]any{"text": "Hey! How are you?", "quick_replies": []any{
		map[string]any{"content_type": "text", "title": "great", "payload": "/mood_great"},
		map[string]any{"content_type": "text", "title": "super sad", "payload": "/mood_unhappy"}}}
	if !equalJSON(got[0], want) {
		t.Errorf("greeting: %s", show(got[0]))
	}
	got = c.say(id, "/mood_unhappy", nil, 3)
	if got[1]["attachment"] == nil || got[2]["text"] != "Did that help you?" {
		t.Errorf("cheer up: %s", show(got))
	}
	if d := match("image", map[string]any{"attachment": map[string]any{"type": "image",
		"payload": map[string]any{"src": "https://i.imgur.com/nGF1K8f.jpg"}}}, got[1]); d != "" {
		t.Error(d)
	}
	// The conversation is stored under the session id, with the channel
	// name and the customData as the user event's metadata.
	events, _ := s.opts.Store.Load(context.Background(), id)
	var user *event.Event
	for i := range events {
		if events[i].Type == event.User {
			user = &events[i]
			break
		}
	}
	if user == nil || user.InputChannel != "socketio" || user.Metadata["page"] != "shop" {
		t.Errorf("first user event: %+v", user)
	}
	// With persistence, a message without a session id gets a session of
	// its own, confirmed to the socket, never a shared default one.
	lost := dialSocketIO(t, ts.URL)
	_ = lost.s.Emit("user_uttered", map[string]any{"message": "hello"})
	var fresh string
	select {
	case fresh = <-lost.confirm:
	case <-time.After(20 * time.Second):
		t.Fatal("no session_confirm for a message without a session id within 20 s")
	}
	if fresh == "" || fresh == id {
		t.Errorf("fresh session %q", fresh)
	}
	if got := lost.say(fresh, "bye", nil, 2); got[1]["text"] != "Bye" {
		t.Errorf("fresh session replies: %s", show(got))
	}
	// A reconnecting client with the same session continues it.
	again := dialSocketIO(t, ts.URL)
	if got := again.session(id); got != id {
		t.Fatalf("session %q confirmed as %q", id, got)
	}
	if got := again.say(id, "yes", nil, 1); got[0]["text"] != "Great, carry on!" {
		t.Errorf("after reconnect: %s", show(got))
	}
}

func TestSocketIOWithoutPersistence(t *testing.T) {
	creds := map[string]map[string]any{"socketio": {"bot_message_evt": "bot_uttered"}}
	s, _ := botServer(t, Options{Credentials: creds})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	a, b := dialSocketIO(t, ts.URL), dialSocketIO(t, ts.URL)
	a.session("")
	b.session("")
	// Without persistence the socket id is the conversation: two people
	// never share one, even when they send the same session id.
	a.say("same", "hello", nil, 1)
	b.say("same", "hello", nil, 1)
	ids, _ := s.opts.Store.Conversations(context.Background())
	if len(ids) != 2 || ids[0] == ids[1] || strings.Contains(strings.Join(ids, ","), "same") {
		t.Errorf("conversations: %q", ids)
	}
}
