package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/parley-chat/parley/internal/event"
)

// sioClient speaks the Socket.IO 5 / Engine.IO 4 wire protocol (that of
// socket.io-client 3 and 4, which rasa-webchat uses) over a websocket,
// writing and reading the packets itself, so that the tests see exactly
// what the server sends. It records session_confirm and bot_uttered
// events. TestSocketIOWithNodeClient covers long-polling and the upgrade
// with the real socket.io-client.
type sioClient struct {
	t       *testing.T
	conn    *websocket.Conn
	write   sync.Mutex
	confirm chan string
	bot     chan map[string]any
}

// dialSocketIO connects to the server at url and joins the default
// namespace.
func dialSocketIO(t *testing.T, url string) *sioClient {
	t.Helper()
	ws := "ws" + strings.TrimPrefix(url, "http") + "/socket.io/?EIO=4&transport=websocket"
	conn, _, err := websocket.DefaultDialer.Dial(ws, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &sioClient{t: t, conn: conn, confirm: make(chan string, 4),
		bot: make(chan map[string]any, 32)}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if p := c.read(); !strings.HasPrefix(p, "0{") {
		t.Fatalf("engine.io open packet: %q", p)
	}
	c.send("40")
	if p := c.read(); !strings.HasPrefix(p, "40") {
		t.Fatalf("namespace connect: %q", p)
	}
	_ = conn.SetReadDeadline(time.Time{})
	go c.loop()
	return c
}

// read returns the next text frame, failing the test on an error.
func (c *sioClient) read() string {
	_, data, err := c.conn.ReadMessage()
	if err != nil {
		c.t.Fatalf("socket.io read: %v", err)
	}
	return string(data)
}

func (c *sioClient) send(packet string) {
	c.write.Lock()
	defer c.write.Unlock()
	_ = c.conn.WriteMessage(websocket.TextMessage, []byte(packet))
}

// loop answers pings and routes events until the connection closes.
func (c *sioClient) loop() {
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		p := string(data)
		switch {
		case p == "2":
			c.send("3")
		case strings.HasPrefix(p, "42"):
			var args []json.RawMessage
			if json.Unmarshal(data[2:], &args) != nil || len(args) == 0 {
				continue
			}
			var name string
			_ = json.Unmarshal(args[0], &name)
			var payload any
			if len(args) > 1 {
				_ = json.Unmarshal(args[1], &payload)
			}
			switch name {
			case "session_confirm":
				id, _ := payload.(string)
				c.confirm <- id
			case "bot_uttered":
				m, _ := payload.(map[string]any)
				c.bot <- m
			}
		}
	}
}

// emit sends an event with one JSON argument.
func (c *sioClient) emit(name string, data any) {
	b, err := json.Marshal([]any{name, data})
	if err != nil {
		c.t.Fatal(err)
	}
	c.send("42" + string(b))
}

// session asks for a session (id may be "" for a new one) and returns the
// confirmed id.
func (c *sioClient) session(id string) string {
	c.t.Helper()
	data := map[string]any{"session_id": nil}
	if id != "" {
		data["session_id"] = id
	}
	c.emit("session_request", data)
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
	c.emit("user_uttered", msg)
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
	lost.emit("user_uttered", map[string]any{"message": "hello"})
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

// TestSocketIOWebsocketFollowsCORS: the websocket transport takes the
// origins --cors allows, as polling does; others are refused, and the
// page's own origin always passes.
func TestSocketIOWebsocketFollowsCORS(t *testing.T) {
	creds := map[string]map[string]any{"socketio": {}}
	cases := []struct {
		cors   []string
		origin string
		ok     bool
	}{
		{nil, "https://shop.example", false},
		{[]string{"https://shop.example"}, "https://shop.example", true},
		{[]string{"https://shop.example"}, "https://evil.example", false},
		{[]string{"*"}, "https://evil.example", true},
		{nil, "", true},
		{nil, "self", true}, // the page's own origin
	}
	for _, c := range cases {
		s, _ := botServer(t, Options{Credentials: creds, CORS: c.cors})
		ts := httptest.NewServer(s.Handler())
		ws := "ws" + strings.TrimPrefix(ts.URL, "http") + "/socket.io/?EIO=4&transport=websocket"
		hdr := http.Header{}
		switch c.origin {
		case "":
		case "self":
			hdr.Set("Origin", ts.URL)
		default:
			hdr.Set("Origin", c.origin)
		}
		conn, resp, err := websocket.DefaultDialer.Dial(ws, hdr)
		if conn != nil {
			conn.Close()
		}
		if ok := err == nil; ok != c.ok {
			status := 0
			if resp != nil {
				status = resp.StatusCode
			}
			t.Errorf("--cors %v, Origin %q: upgraded %v (status %d, %v), want %v", c.cors,
				c.origin, ok, status, err, c.ok)
		}
		ts.Close()
	}
}
