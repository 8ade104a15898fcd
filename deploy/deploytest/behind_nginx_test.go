package deploytest

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestParleyBehindNginx starts real NGINX with deploy/nginx.conf in front
// of `parley run` in production, as the image runs it, and uses the site
// the way a browser and a Rasa client do.
func TestParleyBehindNginx(t *testing.T) {
	parley := startParley(t, "PARLEY_ENV=production", "PARLEY_ALLOWED_HOSTS="+siteHost,
		"PARLEY_SECRET_KEY=6b1f0e9d8c7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a")
	base := "http://" + startNginx(t, parley)

	t.Run("chat", func(t *testing.T) {
		resp := send(t, "POST", base+"/webhooks/rest/webhook", siteHost,
			[]byte(`{"sender": "ann", "message": "hello"}`), nil)
		body := readBody(t, resp)
		var msgs []map[string]any
		if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &msgs) != nil || len(msgs) == 0 {
			t.Fatalf("chat through nginx: %d %s", resp.StatusCode, body)
		}
		if msgs[0]["recipient_id"] != "ann" || msgs[0]["text"] != "Hello from behind NGINX" {
			t.Errorf("reply %v", msgs)
		}
	})
	t.Run("one CORS header", func(t *testing.T) {
		for _, method := range []string{"POST", "OPTIONS"} {
			resp := send(t, method, base+"/webhooks/rest/webhook", siteHost,
				[]byte(`{"sender": "bob", "message": "hi"}`), map[string]string{
					"Origin": siteOrigin, "Access-Control-Request-Method": "POST"})
			got := resp.Header.Values("Access-Control-Allow-Origin")
			if len(got) != 1 || got[0] != siteOrigin {
				t.Errorf("%s: Access-Control-Allow-Origin %v, want exactly [%s]", method, got,
					siteOrigin)
			}
		}
	})
	t.Run("allowed hosts", func(t *testing.T) { checkAllowedHosts(t, base) })
	t.Run("inspector", func(t *testing.T) { checkInspector(t, base) })
	t.Run("healthz", func(t *testing.T) {
		resp := send(t, "GET", base+"/healthz", siteHost, nil, nil)
		if resp.StatusCode != 200 {
			t.Errorf("/healthz: %d %s", resp.StatusCode, readBody(t, resp))
		}
	})
	t.Run("socket.io websocket", func(t *testing.T) { checkSocketIO(t, base) })
	t.Run("body limit", func(t *testing.T) {
		resp := send(t, "POST", base+"/webhooks/rest/webhook", siteHost, largeMessage(), nil)
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("a 1.5 MiB body: %d, want Parley's own 413: %s", resp.StatusCode, body)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("Parley's own 413 should be JSON, got %s: %s",
				resp.Header.Get("Content-Type"), body)
		}
	})
}

// checkAllowedHosts wants the web app to judge the host NGINX forwards:
// the site's name passes, another is refused, and a client cannot smuggle
// one in with its own X-Forwarded-Host.
func checkAllowedHosts(t *testing.T, base string) {
	requireSiteServed(t, base)
	tests := []struct {
		host, forwarded string
		want            int
	}{
		{"evil.example", "", http.StatusBadRequest},
		{siteHost, "evil.example", http.StatusOK},
		{"evil.example", siteHost, http.StatusBadRequest},
	}
	for _, tt := range tests {
		h := map[string]string{}
		if tt.forwarded != "" {
			h["X-Forwarded-Host"] = tt.forwarded
		}
		if resp := send(t, "GET", base+"/", tt.host, nil, h); resp.StatusCode != tt.want {
			t.Errorf("Host %s, X-Forwarded-Host %q from the client: %d, want %d (NGINX "+
				"replaces X-Forwarded-Host with the Host it received)", tt.host, tt.forwarded,
				resp.StatusCode, tt.want)
		}
	}
}

// requireSiteServed wants the site's own host, listed in
// PARLEY_ALLOWED_HOSTS, to get the chat page.
func requireSiteServed(t *testing.T, base string) {
	t.Helper()
	resp := send(t, "GET", base+"/", siteHost, nil, map[string]string{"Accept": "text/html"})
	if body := readBody(t, resp); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / with Host %s (listed in PARLEY_ALLOWED_HOSTS): %d %s", siteHost,
			resp.StatusCode, body)
	}
}

// checkInspector wants /inspect to answer through NGINX: the page, or a
// redirect to the login page.
func checkInspector(t *testing.T, base string) {
	requireSiteServed(t, base)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	req, _ := http.NewRequest("GET", base+"/inspect", nil)
	req.Host = siteHost
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK, http.StatusFound, http.StatusSeeOther, http.StatusUnauthorized:
		if loc := resp.Header.Get("Location"); loc != "" && strings.Contains(loc, "127.0.0.1") {
			t.Errorf("the redirect names the upstream address, not the site: %s", loc)
		}
	default:
		t.Errorf("/inspect: %s", resp.Status)
	}
}

// checkSocketIO opens the socket.io websocket through NGINX and reads the
// engine.io open packet, which carries the session id.
func checkSocketIO(t *testing.T, base string) {
	addr := strings.TrimPrefix(base, "http://")
	resp, _, br := upgrade(t, addr, "/socket.io/?EIO=4&transport=websocket", siteHost)
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("socket.io websocket through nginx: %s", resp.Status)
	}
	payload, err := readFrame(br)
	if err != nil {
		t.Fatalf("reading the open packet: %v", err)
	}
	if !strings.HasPrefix(payload, "0{") || !strings.Contains(payload, `"sid"`) {
		t.Errorf("first frame %q is not an engine.io open packet", payload)
	}
}

// readFrame reads one unmasked server frame and returns its payload.
func readFrame(br *bufio.Reader) (string, error) {
	var head [2]byte
	if _, err := io.ReadFull(br, head[:]); err != nil {
		return "", err
	}
	n := uint64(head[1] & 0x7f)
	switch n {
	case 126:
		var ext [2]byte
		if _, err := io.ReadFull(br, ext[:]); err != nil {
			return "", err
		}
		n = uint64(binary.BigEndian.Uint16(ext[:]))
	case 127:
		var ext [8]byte
		if _, err := io.ReadFull(br, ext[:]); err != nil {
			return "", err
		}
		n = binary.BigEndian.Uint64(ext[:])
	}
	if n > 1<<16 {
		return "", io.ErrUnexpectedEOF
	}
	payload := make([]byte, n)
	_, err := io.ReadFull(br, payload)
	return string(payload), err
}

// largeMessage is a REST message of 1.5 MiB: under NGINX's limit, over
// Parley's.
func largeMessage() []byte {
	return []byte(`{"sender": "big", "message": "` + strings.Repeat("a", 1536<<10) + `"}`)
}

// BenchmarkImageSize reports how large the image would be, beside the
// 30 MB target of docs/deploy.md. A size target is a figure to watch, not a
// pass/fail property, so it is printed as a metric: run it with
// `go test -run '^$' -bench ImageSize ./deploy/deploytest/`.
func BenchmarkImageSize(b *testing.B) {
	bin := parleyBinary(b)
	info, err := os.Stat(bin)
	if err != nil {
		b.Fatal(err)
	}
	// The image adds CA certificates, two lines of /etc/passwd and
	// /etc/group, and empty folders to the binary: well under 300 kB.
	const target, extra = 30_000_000, 300_000
	size := info.Size() + extra
	for range b.N {
	}
	b.ReportMetric(float64(size)/1e6, "image-MB")
	b.ReportMetric(float64(target)/1e6, "target-MB")
}
