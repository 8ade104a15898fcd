package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestAllowedHosts(t *testing.T) {
	dev := NewHostGuard(Config{AllowedHosts: []string{"chat.example.com", ".example.org"}}, nil)
	prod := NewHostGuard(Config{Production: true,
		AllowedHosts: []string{"chat.example.com", ".example.org", "*"}}, nil)
	anyDev := NewHostGuard(Config{AllowedHosts: []string{"*"}}, nil)
	cases := []struct {
		host           string
		dev, prod, any bool
	}{
		{"chat.example.com", true, true, true},
		{"CHAT.Example.com.", true, true, true},
		{"example.org", true, true, true},
		{"a.b.example.org", true, true, true},
		{"badexample.org", false, false, true},
		{"example.com", false, false, true},
		{"localhost", true, false, true},
		{"127.0.0.1", true, false, true},
		{"::1", true, false, true},
		{"", false, false, false},
	}
	for _, c := range cases {
		if got := dev.Allowed(hostName(c.host)); got != c.dev {
			t.Errorf("development %q: %v", c.host, got)
		}
		if got := prod.Allowed(hostName(c.host)); got != c.prod {
			t.Errorf("production %q: %v", c.host, got)
		}
		if got := anyDev.Allowed(hostName(c.host)); got != c.any {
			t.Errorf("development with *: %q: %v", c.host, got)
		}
	}
	for host, want := range map[string]string{"[::1]:5005": "::1", "LocalHost:80": "localhost",
		"a.example.org.": "a.example.org", "[::1]": "::1"} {
		if got := hostName(host); got != want {
			t.Errorf("hostName(%q) = %q, want %q", host, got, want)
		}
	}
}

// guarded sends one request through a guard and reports what the handler
// saw (status 200) or the status.
func guarded(g *HostGuard, remote, host string, hdr map[string]string) (int, string) {
	var seen string
	h := g.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Host + " secure=" + map[bool]string{true: "yes", false: "no"}[IsSecure(r)] +
			" client=" + ClientAddr(r)
	}))
	req := httptest.NewRequest("GET", "/", nil)
	req.Host, req.RemoteAddr = host, remote
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, seen
}

func TestForwardedHeadersOnlyFromTrustedProxies(t *testing.T) {
	var logs bytes.Buffer
	g := NewHostGuard(Config{Production: true, AllowedHosts: []string{"chat.example.com"},
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}},
		slog.New(slog.NewTextHandler(&logs, nil)))
	fwd := map[string]string{"X-Forwarded-Host": "chat.example.com",
		"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7, 10.0.0.3"}
	code, seen := guarded(g, "10.1.2.3:5000", "internal:5005", fwd)
	if code != 200 || seen != "chat.example.com secure=yes client=198.51.100.7" {
		t.Errorf("from a trusted proxy: %d %q", code, seen)
	}
	code, _ = guarded(g, "203.0.113.5:5000", "internal:5005", fwd)
	if code != 400 || !strings.Contains(logs.String(), "host=internal:5005") {
		t.Errorf("forwarded host from an untrusted client: %d; log %s", code, logs.String())
	}
	code, seen = guarded(g, "203.0.113.5:5000", "chat.example.com", fwd)
	if code != 200 || seen != "chat.example.com secure=no client=203.0.113.5" {
		t.Errorf("forwarded headers from an untrusted client were believed: %q", seen)
	}
	code, seen = guarded(g, "10.1.2.3:5000", "chat.example.com",
		map[string]string{"X-Forwarded-For": "garbage, 10.0.0.3"})
	if code != 200 || seen != "chat.example.com secure=no client=10.0.0.3" {
		t.Errorf("bad X-Forwarded-For: %q", seen)
	}
}

func TestDefaultTrustsLoopbackOnly(t *testing.T) {
	g := NewHostGuard(Config{}, nil)
	_, seen := guarded(g, "127.0.0.1:1", "localhost", map[string]string{
		"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.1"})
	if seen != "localhost secure=yes client=192.0.2.1" {
		t.Errorf("from loopback: %q", seen)
	}
	_, seen = guarded(g, "192.0.2.9:1", "localhost", map[string]string{
		"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.1"})
	if seen != "localhost secure=no client=192.0.2.9" {
		t.Errorf("from elsewhere: %q", seen)
	}
}
