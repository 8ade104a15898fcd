package actionclient

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// closedPort returns an address on which nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

func countingOptions() (*countingTransport, Options) {
	ct := &countingTransport{next: http.DefaultTransport.(*http.Transport).Clone()}
	return ct, Options{Transport: ct}
}

// TestTimeout: a server slower than the timeout gives ErrTimeout, and the
// call is not retried.
func TestTimeout(t *testing.T) {
	var hits atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	c := newClient(t, srv.URL, func(c *Config) { c.Timeout = 50 * time.Millisecond }, Options{})
	_, err := c.Call(context.Background(), testRequest(t, "action_hello"))
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("error = %v, want ErrTimeout", err)
	}
	if !strings.Contains(err.Error(), srv.URL) || !strings.Contains(err.Error(), "action_hello") {
		t.Errorf("error %q names neither the URL nor the action", err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("the server got %d calls, want 1 (no retry after a timeout)", n)
	}
}

// TestConnectionRefusedRetriesOnce: a closed port is tried exactly twice.
func TestConnectionRefusedRetriesOnce(t *testing.T) {
	ct, opts := countingOptions()
	url := "http://" + closedPort(t) + "/webhook"
	c := newClient(t, url, nil, opts)
	_, err := c.Call(context.Background(), testRequest(t, "action_hello"))
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("error = %v, want ErrUnreachable", err)
	}
	if n := ct.n.Load(); n != 2 {
		t.Errorf("%d attempts, want 2 (one retry)", n)
	}
	if !strings.Contains(err.Error(), url) {
		t.Errorf("error %q does not name the URL", err)
	}
}

// TestResetIsNotRetried: a server that drops the connection after reading
// the call may have run the action, so the call is not repeated.
func TestResetIsNotRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			if tcp, ok := conn.(*net.TCPConn); ok {
				_ = tcp.SetLinger(0) // close with a reset
			}
			_ = conn.Close()
		}
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, nil, Options{})
	_, err := c.Call(context.Background(), testRequest(t, "action_hello"))
	if !errors.Is(err, ErrServer) {
		t.Fatalf("error = %v, want ErrServer", err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("the server got %d calls, want 1", n)
	}
}

// TestContainerHint: localhost from inside a container gets a hint.
func TestContainerHint(t *testing.T) {
	port := closedPort(t)[len("127.0.0.1:"):]
	for _, tc := range []struct {
		host, want  string
		inContainer bool
	}{
		{"localhost", "container", true},
		{"127.0.0.1", "container", true},
		{"localhost", "is the action server running", false},
	} {
		url := "http://" + tc.host + ":" + port + "/webhook"
		c := newClient(t, url, nil, Options{InContainer: func() bool { return tc.inContainer }})
		_, err := c.Call(context.Background(), testRequest(t, "action_hello"))
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrUnreachable) {
			t.Fatalf("%s: error = %v", url, err)
		}
		if !strings.Contains(e.Hint, tc.want) {
			t.Errorf("%s (container %v): hint %q lacks %q", url, tc.inContainer, e.Hint, tc.want)
		}
	}
}

// TestNoEndpoint: without a URL, a call that is not run locally fails with
// a hint.
func TestNoEndpoint(t *testing.T) {
	c, err := New(Config{Timeout: time.Second}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Call(context.Background(), testRequest(t, "action_hello"))
	if !errors.Is(err, ErrNoEndpoint) || !strings.Contains(err.Error(), "endpoints.yml") {
		t.Errorf("error = %v", err)
	}
}

// TestCallerCancel: when the caller's context ends, the error is the
// context's, not a timeout of the action server.
func TestCallerCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := newClient(t, "http://"+closedPort(t), nil, Options{})
	_, err := c.Call(ctx, testRequest(t, "action_hello"))
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

// TestBadRequest: a call without an action or tracker is refused before
// anything is sent.
func TestBadRequest(t *testing.T) {
	c := newClient(t, "http://"+closedPort(t), nil, Options{})
	if _, err := c.Call(context.Background(), Request{NextAction: "x"}); err == nil {
		t.Error("no error for a call without a tracker")
	}
	bad := testRequest(t, "action_hello")
	bad.Tracker = []byte(`[1,2]`)
	if _, err := c.Call(context.Background(), bad); err == nil {
		t.Error("no error for a tracker that is not an object")
	}
}

// TestServerComesBack: with the action server stopped, the call fails and
// the state says down; once it is back on the same address, the next call
// works and the state says up.
func TestServerComesBack(t *testing.T) {
	addr := closedPort(t)
	c := newClient(t, "http://"+addr+"/webhook", nil, Options{})
	if !c.State().Up {
		t.Fatal("a new client is not up")
	}
	if _, err := c.Call(context.Background(), testRequest(t, "action_hello")); err == nil {
		t.Fatal("no error with the server stopped")
	}
	st := c.State()
	if st.Up || !strings.Contains(st.LastError, addr) || st.Since.IsZero() {
		t.Fatalf("state after the failure = %+v", st)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the port was taken meanwhile: %v", err)
	}
	srv := httptest.NewUnstartedServer(&recorder{})
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	defer srv.Close()
	if _, err := c.Call(context.Background(), testRequest(t, "action_hello")); err != nil {
		t.Fatalf("call after the server came back: %v", err)
	}
	if !c.State().Up {
		t.Errorf("state after the recovery = %+v", c.State())
	}
}
