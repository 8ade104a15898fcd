package cli

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
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

// TestHealthcheckInProduction: the image's HEALTHCHECK, `parley
// healthcheck`, asks 127.0.0.1 for /healthz; a production server whose
// allowed hosts are a site's names still answers it (and /readyz), while
// its pages refuse that Host.
func TestHealthcheckInProduction(t *testing.T) {
	env := productionEnv()
	env["PARLEY_ALLOWED_HOSTS"] = ".chat.example"
	if testing.Short() {
		t.Skip("trains a model; not in -short")
	}
	rs := startRun(t, trainedProject(t, tinyProject), env)
	u, err := url.Parse(rs.url)
	if err != nil {
		t.Fatal(err)
	}
	env["PARLEY_PORT"] = u.Port()
	if r := runEnv(t, t.TempDir(), env, "healthcheck"); r.code != 0 {
		t.Errorf("parley healthcheck against production: %+v", r)
	}
	if code, body := call(t, "GET", strings.TrimSuffix(rs.url, "/")+"/readyz", ""); code == http.StatusBadRequest {
		t.Errorf("/readyz refused the probe's host: %d %s", code, body)
	}
	if code, _ := call(t, "GET", rs.url, ""); code != http.StatusBadRequest {
		t.Errorf("the chat page answered %d for a host that is not allowed, want 400", code)
	}
	if !strings.Contains(rs.stderr.String(), "answers only for .chat.example") {
		t.Errorf("the start line does not say which hosts production answers:\n%s",
			rs.stderr.String())
	}
}
