package socketio

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/event"
)

// TestFirstEventAfterConnectIsNeverLost: a client that emits
// session_request as soon as it is connected (as socket.io-client and
// rasa-webchat do on "connect") always gets session_confirm. The Socket.IO
// library writes the CONNECT packet before it files the socket under its
// namespace, and closes a connection whose event arrives in between as
// being in an invalid state. Here each client sends the event right behind
// its CONNECT, without waiting for the answer, which makes that window as
// wide as it can be; without the channel holding the reader back, nearly
// every client lost its socket.
func TestFirstEventAfterConnectIsNeverLost(t *testing.T) {
	cfg, err := ConfigFrom(nil)
	if err != nil {
		t.Fatal(err)
	}
	handle := func(context.Context, agent.UserMessage) ([]event.Event, error) { return nil, nil }
	ch := New(cfg, handle, nil)
	defer ch.Close()
	ts := httptest.NewServer(ch.Handler())
	defer ts.Close()
	url := "ws" + strings.TrimPrefix(ts.URL, "http") + "/socket.io/?EIO=4&transport=websocket"

	const clients, parallel = 300, 16
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	sem := make(chan struct{}, parallel)
	for range clients {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := sessionHandshake(url); err != nil {
				mu.Lock()
				failures = append(failures, err.Error())
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(failures) > 0 {
		t.Errorf("%d of %d clients got no session_confirm; first: %s", len(failures), clients,
			failures[0])
	}
}

// sessionHandshake connects to the default namespace, emits session_request
// right behind its CONNECT packet and waits for session_confirm.
func sessionHandshake(url string) error {
	conn, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	read := func() (string, error) {
		_, data, err := conn.ReadMessage()
		return string(data), err
	}
	if p, err := read(); err != nil || !strings.HasPrefix(p, "0{") {
		return fmt.Errorf("open packet %q: %v", p, err)
	}
	_ = conn.WriteMessage(websocket.TextMessage, []byte("40"))
	_ = conn.WriteMessage(websocket.TextMessage,
		[]byte(`42["session_request",{"session_id":"s1"}]`))
	for {
		p, err := read()
		if err != nil {
			return fmt.Errorf("waiting for session_confirm: %v", err)
		}
		if strings.HasPrefix(p, `42["session_confirm"`) {
			return nil
		}
	}
}
