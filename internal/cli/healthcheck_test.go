package cli

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthcheck(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		w.Write([]byte(`{"status":"ok"}`))
	}))
	defer srv.Close()
	dir := t.TempDir()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	// The default URL comes from PARLEY_PORT.
	r := runEnv(t, dir, map[string]string{"PARLEY_PORT": port}, "healthcheck")
	if r.code != 0 || !strings.Contains(r.stdout, "healthy: http://127.0.0.1:"+port+"/healthz") {
		t.Errorf("healthy server: %+v", r)
	}
	status = http.StatusServiceUnavailable
	r = runEnv(t, dir, nil, "healthcheck", "--url", srv.URL+"/healthz")
	if r.code != 1 || !strings.Contains(r.stderr, "503") {
		t.Errorf("failing server: %+v", r)
	}
	srv.Close()
	r = runEnv(t, dir, nil, "healthcheck", "--url", srv.URL+"/healthz", "--timeout", "1s")
	if r.code != 1 || !strings.Contains(r.stderr, "unhealthy") {
		t.Errorf("no server: %+v", r)
	}
}
