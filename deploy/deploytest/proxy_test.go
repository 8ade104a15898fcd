package deploytest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// seenHeaders are the request headers the upstream reports back.
var seenHeaders = []string{"X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
	"X-Real-Ip", "Upgrade", "Connection"}

// upstream stands in for Parley: it reports what NGINX sent it, counts
// bodies, answers CORS once, and echoes websockets.
func upstream(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/headers", func(w http.ResponseWriter, r *http.Request) {
		seen := map[string]string{"Host": r.Host}
		for _, h := range seenHeaders {
			seen[h] = r.Header.Get(h)
		}
		json.NewEncoder(w).Encode(seen)
	})
	mux.HandleFunc("POST /upload", func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		w.Write([]byte(strconv.FormatInt(n, 10)))
	})
	mux.HandleFunc("POST /model/", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	})
	mux.HandleFunc("/cors", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Vary", "Origin")
	})
	mux.HandleFunc("/socket.io/", echoWebsocket)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// echoWebsocket accepts a websocket handshake and sends back every byte.
func echoWebsocket(w http.ResponseWriter, r *http.Request) {
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		http.Error(w, "want a websocket upgrade", http.StatusBadRequest)
		return
	}
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n" +
		"Connection: Upgrade\r\nSec-WebSocket-Accept: " +
		wsAccept(r.Header.Get("Sec-WebSocket-Key")) + "\r\nX-Seen-Host: " + r.Host +
		"\r\nX-Seen-Forwarded-For: " + r.Header.Get("X-Forwarded-For") + "\r\n\r\n")
	rw.Flush()
	io.Copy(conn, rw)
}

// get sends a request with a Host header through NGINX.
func send(t *testing.T, method, url, host string, body []byte,
	header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestNginxForwardsHeadersLimitsBodiesAndUpgrades(t *testing.T) {
	up := upstream(t)
	addr := startNginx(t, strings.TrimPrefix(up.URL, "http://"))
	base := "http://" + addr

	// The client's own X-Forwarded-Host must not reach Parley.
	resp := send(t, "GET", base+"/headers", "chat.example.test", nil,
		map[string]string{"X-Forwarded-Host": "evil.example"})
	var seen map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&seen); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Host": "chat.example.test", "X-Forwarded-Host": "chat.example.test",
		"X-Forwarded-For": "127.0.0.1", "X-Forwarded-Proto": "http", "X-Real-Ip": "127.0.0.1",
		"Upgrade": ""}
	for k, v := range want {
		if seen[k] != v {
			t.Errorf("upstream saw %s = %q, want %q", k, seen[k], v)
		}
	}

	resp = send(t, "GET", base+"/cors", "chat.example.test", nil,
		map[string]string{"Origin": "https://chat.example.test"})
	if got := resp.Header.Values("Access-Control-Allow-Origin"); len(got) != 1 {
		t.Errorf("Access-Control-Allow-Origin %v: NGINX must not add its own", got)
	}

	// Bodies a little over Parley's own 1 MiB reach it (it answers 413
	// with its JSON error); much larger ones stop at NGINX.
	resp = send(t, "POST", base+"/upload", "chat.example.test", make([]byte, 1536<<10), nil)
	if body, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 || string(body) != "1572864" {
		t.Errorf("1.5 MiB body: %d %s", resp.StatusCode, body)
	}
	resp = send(t, "POST", base+"/upload", "chat.example.test", make([]byte, 3<<20), nil)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("3 MiB body: %d, want 413 from nginx", resp.StatusCode)
	}
	// Training and test data may be large: they reach Parley, which takes
	// up to 64 MiB of it.
	for _, path := range []string{"/model/train", "/model/test/intents"} {
		resp = send(t, "POST", base+path, "chat.example.test", make([]byte, 3<<20), nil)
		if resp.StatusCode == http.StatusRequestEntityTooLarge {
			t.Errorf("3 MiB to %s stopped at nginx", path)
		}
	}

	// A site on another port than 80: the Host Parley sees keeps the port,
	// so that it matches the Origin of the site's own pages.
	resp = send(t, "GET", base+"/headers", "chat.example.test:8080", nil, nil)
	seen = nil
	if err := json.NewDecoder(resp.Body).Decode(&seen); err != nil {
		t.Fatal(err)
	}
	if seen["Host"] != "chat.example.test:8080" || seen["X-Forwarded-Host"] != "chat.example.test:8080" {
		t.Errorf("Host with a port: upstream saw Host %q, X-Forwarded-Host %q, want the port kept",
			seen["Host"], seen["X-Forwarded-Host"])
	}

	checkWebsocketEcho(t, addr)
}

// checkWebsocketEcho opens a websocket through NGINX's /socket.io/ and
// sends bytes both ways.
func checkWebsocketEcho(t *testing.T, addr string) {
	t.Helper()
	resp, conn, br := upgrade(t, addr, "/socket.io/?EIO=4&transport=websocket",
		"chat.example.test")
	if resp.StatusCode != http.StatusSwitchingProtocols ||
		resp.Header.Get("Sec-WebSocket-Accept") != wsAccept(wsKey) {
		t.Fatalf("websocket handshake: %s %v", resp.Status, resp.Header)
	}
	if h := resp.Header.Get("X-Seen-Host"); h != "chat.example.test" {
		t.Errorf("the websocket location lost the Host header: upstream saw %q", h)
	}
	if f := resp.Header.Get("X-Seen-Forwarded-For"); f != "127.0.0.1" {
		t.Errorf("the websocket location lost X-Forwarded-For: upstream saw %q", f)
	}
	msg := []byte("frames pass both ways\n")
	if _, err := conn.Write(msg); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(br, got); err != nil || !bytes.Equal(got, msg) {
		t.Errorf("echo through the upgraded connection: %q, %v", got, err)
	}
}
