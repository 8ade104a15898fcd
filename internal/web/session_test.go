package web

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSignerRoundTrip(t *testing.T) {
	s := newSigner(testKey)
	value := s.sign("abc")
	if id, ok := s.verify(value); !ok || id != "abc" {
		t.Fatalf("verify(sign) = %q %v", id, ok)
	}
	other := newSigner([]byte("another secret key that is long enough!!"))
	for _, bad := range []string{"abc", "abc.", "abd" + value[3:], value + "x", ".sig",
		other.sign("abc"), strings.Replace(value, ".", "", 1)} {
		if _, ok := s.verify(bad); ok {
			t.Errorf("verify(%q) accepted", bad)
		}
	}
}

// sessionCookie returns the Set-Cookie of name in res.
func sessionCookie(res *http.Response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestCookieFlags(t *testing.T) {
	ta := newTestApp(t, Config{})
	cases := []struct {
		name       string
		path       string
		remote     string
		tls        bool
		proto      string
		cookie     string
		secure     bool
		sameSite   http.SameSite
		partitions bool
	}{
		{"plain http", "/api/history", "127.0.0.1:4000", false, "", chatCookie, false,
			http.SameSiteLaxMode, false},
		{"https", "/api/history", "127.0.0.1:4000", true, "", chatCookie, true,
			http.SameSiteLaxMode, false},
		{"trusted proxy says https", "/api/history", "127.0.0.1:4000", false, "https",
			chatCookie, true, http.SameSiteLaxMode, false},
		{"untrusted client says https", "/api/history", "203.0.113.9:4000", false, "https",
			chatCookie, false, http.SameSiteLaxMode, false},
		{"embedded over https", "/embed/api/history", "127.0.0.1:4000", true, "",
			embedCookie, true, http.SameSiteNoneMode, true},
		{"embedded over http", "/embed/api/history", "127.0.0.1:4000", false, "",
			embedCookie, false, http.SameSiteLaxMode, false},
	}
	mux := http.NewServeMux()
	ta.Mount(mux)
	for _, c := range cases {
		req := httptest.NewRequest("GET", "http://localhost"+c.path, nil)
		req.RemoteAddr = c.remote
		if c.tls {
			req.TLS = &tls.ConnectionState{}
		}
		if c.proto != "" {
			req.Header.Set("X-Forwarded-Proto", c.proto)
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		got := sessionCookie(rec.Result(), c.cookie)
		if got == nil {
			t.Fatalf("%s: no %s cookie: %d %v", c.name, c.cookie, rec.Code, rec.Header())
		}
		if !got.HttpOnly || got.Secure != c.secure || got.SameSite != c.sameSite ||
			got.Partitioned != c.partitions || got.Path != "/" ||
			got.MaxAge != int(DefaultSessionIdle/time.Second) {
			t.Errorf("%s: cookie %s", c.name, got.String())
		}
	}
}

func TestRotatingSecretKeyLogsEveryoneOut(t *testing.T) {
	ta := newTestApp(t, Config{})
	res, _ := ta.do(t, "GET", "/api/history", "")
	cookie := sessionCookie(res, chatCookie)
	if cookie == nil {
		t.Fatal("no session cookie")
	}
	rotated, err := New(Options{Config: Config{SecretKey: []byte(strings.Repeat("k", 40))},
		Bot: ta.bot, Trackers: ta.trackers})
	if err != nil {
		t.Fatal(err)
	}
	rotated.store = ta.store // the same database
	req := httptest.NewRequest("GET", "/api/history", nil)
	req.AddCookie(cookie)
	cur, err := rotated.loadSession(httptest.NewRecorder(), req, chatCookie)
	if err != nil || cur != nil {
		t.Fatalf("session under the old key: %+v %v", cur, err)
	}
	cur, err = ta.loadSession(httptest.NewRecorder(), req, chatCookie)
	if err != nil || cur == nil {
		t.Fatalf("session under its own key: %+v %v", cur, err)
	}
}

// TestIdleSessionsExpireAndArePurged moves a fake clock: a session unused
// for 14 days ends, and expired rows are deleted in passing.
func TestIdleSessionsExpireAndArePurged(t *testing.T) {
	ta := newTestApp(t, Config{})
	ta.do(t, "GET", "/api/history", "")
	first := ta.client.Jar
	ta.clock.Advance(10 * 24 * time.Hour)
	ta.client.Jar = newJar()
	ta.do(t, "GET", "/api/history", "") // a second browser
	second := ta.client.Jar

	ta.clock.Advance(5 * 24 * time.Hour) // first idle 15 days, second 5
	ta.client.Jar = first
	_, body := ta.do(t, "POST", "/api/chat", `{"message": "/mood_great"}`)
	if got := texts(messages(t, body)); len(got) != 1 {
		t.Fatalf("answer: %q", got)
	}
	_, body = ta.do(t, "GET", "/api/history", "")
	want := []string{"user: /mood_great", "bot: Great, carry on!"}
	if got := texts(messages(t, body)); !slices.Equal(got, want) {
		t.Errorf("history after the session expired: %q, want a new conversation %q", got, want)
	}
	ta.client.Jar = second
	_, body = ta.do(t, "GET", "/api/history", "")
	if got := texts(messages(t, body)); len(got) != 1 || got[0] != "bot: Hey! How are you?" {
		t.Errorf("a live session lost its history: %q", got)
	}
	mem := ta.store.(*MemoryStore)
	if n := len(mem.sessions); n != 2 {
		t.Errorf("%d sessions stored, want 2 (the second, and the first's new one)", n)
	}
	ta.clock.Advance(15 * 24 * time.Hour)
	ta.do(t, "GET", "/static/chat.css", "") // no session: nothing purged
	ta.client.Jar = newJar()
	ta.do(t, "GET", "/api/history", "") // a new session purges in passing
	if n := len(mem.sessions); n != 1 {
		t.Errorf("%d sessions after the purge, want 1", n)
	}
	if !strings.Contains(ta.logs.String(), "deleted expired browser sessions") {
		t.Errorf("no purge log line: %s", ta.logs.String())
	}
}

func TestSessionTouchedAtMostEveryMinute(t *testing.T) {
	ta := newTestApp(t, Config{})
	res, _ := ta.do(t, "GET", "/api/history", "")
	if sessionCookie(res, chatCookie) == nil {
		t.Fatal("no cookie for a new session")
	}
	ta.clock.Advance(30 * time.Second)
	if res, _ = ta.do(t, "GET", "/api/history", ""); sessionCookie(res, chatCookie) != nil {
		t.Error("cookie set again within a minute")
	}
	ta.clock.Advance(time.Minute)
	if res, _ = ta.do(t, "GET", "/api/history", ""); sessionCookie(res, chatCookie) == nil {
		t.Error("cookie not refreshed after a minute")
	}
}
