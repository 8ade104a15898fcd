package web

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestThrottleDoubles(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1700000000, 0)}
	th := newLoginThrottle(clock.Now)
	for i := 1; i < maxLoginFailures; i++ {
		if wait := th.failed("ann", "10.0.0.1"); wait != 0 {
			t.Fatalf("failure %d locked for %v", i, wait)
		}
		clock.Advance(time.Minute)
	}
	if wait := th.failed("Ann", "10.0.0.1"); wait != firstLockout {
		t.Fatalf("fifth failure: %v, want %v", wait, firstLockout)
	}
	if th.wait("ann", "10.0.0.2") != 0 || th.wait("bob", "10.0.0.1") != 0 {
		t.Error("the lock is not per user and address")
	}
	want := firstLockout
	for range 4 {
		clock.Advance(want)
		if th.wait("ann", "10.0.0.1") != 0 {
			t.Fatal("still locked after the lockout")
		}
		want *= 2
		if wait := th.failed("ann", "10.0.0.1"); wait != want {
			t.Fatalf("failure after a lockout: %v, want %v", wait, want)
		}
	}
	clock.Advance(want + failureWindow)
	if th.failed("ann", "10.0.0.1") != 0 {
		t.Error("a quiet window did not forget the failures")
	}
	th.succeeded("ann", "10.0.0.1")
	if len(th.entries) != 0 {
		t.Error("success did not forget the failures")
	}
}

func TestThrottleWindow(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1700000000, 0)}
	th := newLoginThrottle(clock.Now)
	for range 10 { // one failure every 4 minutes: never 5 within 15
		if wait := th.failed("ann", "a"); wait != 0 {
			t.Fatalf("locked for %v", wait)
		}
		clock.Advance(4 * time.Minute)
	}
}

// login posts the login form as the page would and returns the response.
func (ta *testApp) login(t *testing.T, name, password, next string) (int, string, string) {
	t.Helper()
	form := url.Values{"name": {name}, "password": {password}, "next": {next}}
	res, body := ta.do(t, "POST", loginPath, form.Encode(),
		"Content-Type", "application/x-www-form-urlencoded")
	return res.StatusCode, res.Header.Get("Location"), body + res.Header.Get("Retry-After")
}

func TestInspectorNeedsLogin(t *testing.T) {
	ta := newTestApp(t, Config{})
	for _, path := range []string{"/inspect", "/inspect/conversations/x", "/inspect/reports"} {
		res, _ := ta.do(t, "GET", path, "", "Accept", "text/html")
		loc := res.Header.Get("Location")
		if res.StatusCode != 303 || loc != loginPath+"?next="+url.QueryEscape(path) {
			t.Errorf("%s without login: %d %q", path, res.StatusCode, loc)
		}
	}
	if res, _ := ta.do(t, "POST", "/inspect/retrain", ""); res.StatusCode != 401 {
		t.Errorf("retrain without login: %d", res.StatusCode)
	}
	res, body := ta.do(t, "GET", loginPath+"?next=/inspect/reports", "")
	if res.StatusCode != 200 || !strings.Contains(body, `value="/inspect/reports"`) {
		t.Errorf("login page: %d", res.StatusCode)
	}
}

func TestLoginRotatesSessionAndKeepsConversation(t *testing.T) {
	ta := newTestApp(t, Config{})
	AddUser(t.Context(), ta.store, "ann", "correct horse", 4, false)
	res, _ := ta.do(t, "GET", "/api/history", "")
	before := sessionCookie(res, chatCookie)
	code, loc, _ := ta.login(t, "Ann", "correct horse", "/inspect/reports")
	if code != 303 || loc != "/inspect/reports" {
		t.Fatalf("login: %d %q", code, loc)
	}
	u, _ := url.Parse(ta.srv.URL)
	after := ta.client.Jar.Cookies(u)
	if len(after) != 1 || after[0].Value == before.Value {
		t.Fatalf("session id not rotated at login: %v", after)
	}
	_, body := ta.do(t, "GET", "/api/history", "")
	if got := texts(messages(t, body)); len(got) != 1 || got[0] != "bot: Hey! How are you?" {
		t.Errorf("conversation lost at login: %q", got)
	}
	if res, _ := ta.do(t, "GET", "/inspect", ""); res.StatusCode != 200 {
		t.Errorf("inspector after login: %d", res.StatusCode)
	}
	ta.do(t, "POST", "/inspect/logout", "")
	if res, _ := ta.do(t, "GET", "/inspect", ""); res.StatusCode != 303 {
		t.Errorf("inspector after logout: %d", res.StatusCode)
	}
	for _, next := range []string{"https://evil.example/inspect", "//evil.example", "/api/x",
		"/inspect\\@evil"} {
		if code, loc, _ := ta.login(t, "ann", "correct horse", next); loc != "/inspect" {
			t.Errorf("next %q: %d %q", next, code, loc)
		}
	}
}

func TestLoginThrottled(t *testing.T) {
	ta := newTestApp(t, Config{})
	AddUser(t.Context(), ta.store, "ann", "correct horse", 4, false)
	for i := 1; i < maxLoginFailures; i++ {
		if code, _, body := ta.login(t, "ann", "wrong", ""); code != 401 ||
			!strings.Contains(body, "Wrong user name or password") {
			t.Fatalf("failure %d: %d", i, code)
		}
	}
	code, _, body := ta.login(t, "ann", "wrong", "")
	if code != 429 || !strings.HasSuffix(body, "60") {
		t.Fatalf("fifth failure: %d %q", code, body[len(body)-10:])
	}
	if code, _, _ := ta.login(t, "ann", "correct horse", ""); code != 429 {
		t.Fatalf("right password while locked: %d", code)
	}
	ta.clock.Advance(time.Minute)
	code, _, body = ta.login(t, "ann", "wrong again", "")
	if code != 429 || !strings.HasSuffix(body, strconv.Itoa(120)) {
		t.Fatalf("failure after the lockout: %d %q", code, body[len(body)-10:])
	}
	ta.clock.Advance(2 * time.Minute)
	if code, _, _ := ta.login(t, "ann", "correct horse", ""); code != 303 {
		t.Fatalf("right password after the lockout: %d", code)
	}
	if strings.Count(ta.logs.String(), "failed inspector login") != 6 {
		t.Errorf("log: %s", ta.logs.String())
	}
}
