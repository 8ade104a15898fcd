package deploytest

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/testenv/nginxtest"
)

// startNginx runs NGINX on loopback with deploy/nginx.conf, sending to
// upstream ("127.0.0.1:port"), and returns its address. It is stopped when
// the test ends.
func startNginx(t *testing.T, upstream string) string {
	t.Helper()
	return nginxtest.Start(t, upstream).Addr
}

// write writes body to path, making its folder.
func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// wsKey is a client's Sec-WebSocket-Key (16 bytes, base64); wsAccept the answer
// it expects.
const wsKey = "dGhlIHNhbXBsZSBub25jZQ=="

func wsAccept(key string) string {
	h := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return base64.StdEncoding.EncodeToString(h[:])
}

// upgrade opens a websocket through addr at path and returns the
// handshake's response and the connection after it.
func upgrade(t *testing.T, addr, path, host string) (*http.Response, net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
	req.Host = host
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Key", wsKey)
	req.Header.Set("Sec-WebSocket-Version", "13")
	if err := req.Write(conn); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		t.Fatalf("websocket handshake through nginx: %v", err)
	}
	return resp, conn, br
}
