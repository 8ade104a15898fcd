package server

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/testenv"
)

// TestSocketIOWithNodeClient talks to the socketio channel with the
// socket.io-client of tests/webchat (version 3, the one rasa-webchat 1.0.1
// depends on) over long-polling, websocket, and polling upgraded to
// websocket.
func TestSocketIOWithNodeClient(t *testing.T) {
	dir := filepath.Join(testenv.RepoRoot(t), "tests", "webchat")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "socket.io-client")); err != nil {
		testenv.Missing(t, "socket.io-client is not installed: run `npm ci` in tests/webchat")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		testenv.Missing(t, "node is missing: apt-get install -y nodejs")
	}
	creds := map[string]map[string]any{"socketio": {}}
	s, _ := botServer(t, Options{Credentials: creds})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	for _, transports := range []string{"polling", "websocket", "polling,websocket"} {
		cmd := exec.Command(node, "client.js", ts.URL, transports, "hello", "/mood_great")
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v\n%s%s", transports, err, out, stderr.String())
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) != 3 {
			t.Fatalf("%s: %d lines:\n%s", transports, len(lines), out)
		}
		var greet, happy map[string]any
		_ = json.Unmarshal([]byte(lines[1]), &greet)
		_ = json.Unmarshal([]byte(lines[2]), &happy)
		if greet["text"] != "Hey! How are you?" || greet["quick_replies"] == nil ||
			happy["text"] != "Great, carry on!" {
			t.Errorf("%s: %s", transports, out)
		}
	}
}
