package server

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// post sends a JSON body to a real server and decodes the JSON answer.
func post(t *testing.T, url, body string, out any) *http.Response {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		t.Fatalf("answer of %s is not JSON: %v", url, err)
	}
	return res
}

func TestRealServerConversation(t *testing.T) {
	s, logs := newTestServer(t, Options{EnableAPI: true}, true)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	var messages []map[string]any
	res := post(t, ts.URL+"/webhooks/rest/webhook", `{"sender": "größe-1", "message": "I am sad"}`,
		&messages)
	if res.StatusCode != 200 || len(messages) != 3 || messages[1]["image"] == nil {
		t.Fatalf("conversation: %d %v", res.StatusCode, messages)
	}
	id := res.Header.Get("X-Request-ID")
	if id == "" {
		t.Fatal("no X-Request-ID header")
	}
	var parse map[string]any
	if res := post(t, ts.URL+"/model/parse", `{"text": "hello"}`, &parse); res.StatusCode != 200 {
		t.Fatalf("parse: %d %v", res.StatusCode, parse)
	}
	line := ""
	for l := range strings.Lines(logs.String()) {
		if strings.Contains(l, "request_id="+id) {
			line = l
		}
	}
	for _, want := range []string{"method=POST", "path=/webhooks/rest/webhook", "status=200",
		"duration="} {
		if !strings.Contains(line, want) {
			t.Errorf("request log line lacks %q: %q", want, line)
		}
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	s, _ := newTestServer(t, Options{}, true)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	res, err := http.Get("http://" + ln.Addr().String() + "/version")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after cancel: %v", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/version"); err == nil {
		t.Error("the server still answers after shutdown")
	}
}
