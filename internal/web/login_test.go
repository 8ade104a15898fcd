package web

import (
	"database/sql"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/store/mysql"
	"github.com/parley-chat/parley/internal/store/postgres"
	"github.com/parley-chat/parley/internal/store/storetest"
)

func TestThrottleDoubles(t *testing.T) {
	for name, open := range stores() {
		t.Run(name, func(t *testing.T) {
			clock := &fakeClock{now: time.Unix(1700000000, 0)}
			checkThrottleDoubles(t, newLoginThrottle(clock.Now), open(t), clock)
		})
	}
}

// checkThrottleDoubles: five failures within the window lock for a
// minute, each failure after a lockout doubles it, a quiet window and a
// success forget it all; per user (in any case) and address.
func checkThrottleDoubles(t *testing.T, th *loginThrottle, st Store, clock *fakeClock) {
	ctx := t.Context()
	failed := func(user, addr string) time.Duration {
		t.Helper()
		wait, err := th.failed(ctx, st, user, addr)
		if err != nil {
			t.Fatal(err)
		}
		return wait
	}
	waits := func(user, addr string) time.Duration {
		t.Helper()
		wait, err := th.wait(ctx, st, user, addr)
		if err != nil {
			t.Fatal(err)
		}
		return wait
	}
	for i := 1; i < maxLoginFailures; i++ {
		if wait := failed("ann", "10.0.0.1"); wait != 0 {
			t.Fatalf("failure %d locked for %v", i, wait)
		}
		clock.Advance(time.Minute)
	}
	if wait := failed("Ann", "10.0.0.1"); wait != firstLockout {
		t.Fatalf("fifth failure: %v, want %v", wait, firstLockout)
	}
	if waits("ANN", "10.0.0.1") != firstLockout {
		t.Error("the lock does not hold for the same user in another case")
	}
	if waits("ann", "10.0.0.2") != 0 || waits("bob", "10.0.0.1") != 0 {
		t.Error("the lock is not per user and address")
	}
	want := firstLockout
	for range 4 {
		clock.Advance(want)
		if waits("ann", "10.0.0.1") != 0 {
			t.Fatal("still locked after the lockout")
		}
		want *= 2
		if wait := failed("ann", "10.0.0.1"); wait != want {
			t.Fatalf("failure after a lockout: %v, want %v", wait, want)
		}
	}
	clock.Advance(want + failureWindow)
	if failed("ann", "10.0.0.1") != 0 {
		t.Error("a quiet window did not forget the failures")
	}
	if err := th.succeeded(ctx, st, "ann", "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	rec, err := st.Throttle(ctx, throttleKey("ann", "10.0.0.1"))
	if err != nil || len(rec.Failures) != 0 || rec.Lockout != 0 {
		t.Errorf("success did not forget the failures: %+v %v", rec, err)
	}
}

func TestThrottleWindow(t *testing.T) {
	for name, open := range stores() {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			clock := &fakeClock{now: time.Unix(1700000000, 0)}
			th := newLoginThrottle(clock.Now)
			for range 10 { // one failure every 4 minutes: never 5 within 15
				if wait, err := th.failed(t.Context(), st, "ann", "a"); wait != 0 || err != nil {
					t.Fatalf("locked for %v (%v)", wait, err)
				}
				clock.Advance(4 * time.Minute)
			}
		})
	}
}

// TestThrottlePurge: records quiet for a whole window are removed when
// the throttle next counts a failure, whatever the store.
func TestThrottlePurge(t *testing.T) {
	for name, open := range stores() {
		t.Run(name, func(t *testing.T) {
			ctx, st := t.Context(), open(t)
			clock := &fakeClock{now: time.Unix(1700000000, 0)}
			th := newLoginThrottle(clock.Now)
			if _, err := th.failed(ctx, st, "old", "a"); err != nil {
				t.Fatal(err)
			}
			clock.Advance(failureWindow + time.Second)
			if _, err := th.failed(ctx, st, "new", "a"); err != nil {
				t.Fatal(err)
			}
			if err := th.purge(ctx, st); err != nil {
				t.Fatal(err)
			}
			old, err := st.Throttle(ctx, throttleKey("old", "a"))
			if err != nil || len(old.Failures) != 0 {
				t.Errorf("a quiet record was kept: %+v %v", old, err)
			}
			if fresh, _ := st.Throttle(ctx, throttleKey("new", "a")); len(fresh.Failures) != 1 {
				t.Errorf("the new record = %+v, want one failure", fresh)
			}
		})
	}
}

// TestMemoryThrottleBounded: guessing many names cannot grow the memory
// store's table past its limit.
func TestMemoryThrottleBounded(t *testing.T) {
	st := NewMemoryStore()
	clock := &fakeClock{now: time.Unix(1700000000, 0)}
	th := newLoginThrottle(clock.Now)
	for i := range maxThrottleEntries + 50 {
		if _, err := th.failed(t.Context(), st, strconv.Itoa(i), "a"); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(st.throttles); n != maxThrottleEntries {
		t.Errorf("%d records, want %d", n, maxThrottleEntries)
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

// TestThrottleAcrossReplicas: two web apps on one PostgreSQL schema, as
// two replicas behind a load balancer, count one user's failures together.
func TestThrottleAcrossReplicas(t *testing.T) {
	serverURL, schema := storetest.PostgresSchema(t)
	clock := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	apps := make([]*testApp, 2)
	for i := range apps {
		db, err := postgres.Open(t.Context(), postgres.Config{URL: serverURL, Schema: schema})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		apps[i] = newTestApp(t, Config{DB: db.WebDB(), Clock: clock.Now})
	}
	if err := AddUser(t.Context(), apps[0].store, "ann", "correct horse", 4, false); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < maxLoginFailures; i++ {
		if code, _, _ := apps[i%2].login(t, "ann", "wrong", ""); code != 401 {
			t.Fatalf("failure %d on replica %d: %d, want 401", i, i%2, code)
		}
	}
	if code, _, _ := apps[1].login(t, "ann", "wrong", ""); code != 429 {
		t.Fatalf("fifth failure, the third on replica 1: %d, want 429", code)
	}
	if code, _, _ := apps[0].login(t, "ann", "correct horse", ""); code != 429 {
		t.Fatalf("the right password on the other replica while locked: %d, want 429", code)
	}
	clock.Advance(firstLockout)
	if code, _, _ := apps[0].login(t, "ann", "correct horse", ""); code != 303 {
		t.Fatalf("the right password after the lockout: %d, want 303", code)
	}
}

// TestThrottleConcurrentReplicas: failures counted at the same moment
// through two connection pools on one database are each counted once: the
// lockouts they start are 1, 2, 4, 8 and 16 minutes, none lost. On
// PostgreSQL (one schema) and MySQL (one database).
func TestThrottleConcurrentReplicas(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		serverURL, schema := storetest.PostgresSchema(t)
		checkConcurrentFailures(t, func() *sql.DB {
			db, err := postgres.Open(t.Context(), postgres.Config{URL: serverURL, Schema: schema})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db.WebDB()
		})
	})
	t.Run("mysql", func(t *testing.T) {
		dsn := storetest.MySQLDSN(t)
		checkConcurrentFailures(t, func() *sql.DB {
			db, err := mysql.Open(t.Context(), mysql.Config{DSN: dsn})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db.WebDB()
		})
	})
}

// checkConcurrentFailures counts failures at once through two stores
// opened by open on one database.
func checkConcurrentFailures(t *testing.T, open func() *sql.DB) {
	clock := &fakeClock{now: time.Unix(1700000000, 0)}
	stores := []Store{NewSQLStore(open()), NewSQLStore(open())}
	th := newLoginThrottle(clock.Now)
	const n = maxLoginFailures + 4
	waits := make([]time.Duration, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var err error
			waits[i], err = th.failed(t.Context(), stores[i%2], "ann", "10.0.0.1")
			if err == nil {
				err = th.purge(t.Context(), stores[i%2])
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	slices.Sort(waits)
	want := []time.Duration{0, 0, 0, 0, time.Minute, 2 * time.Minute, 4 * time.Minute,
		8 * time.Minute, 16 * time.Minute}
	if !slices.Equal(waits, want) {
		t.Fatalf("lockouts = %v, want %v (a failure was lost or counted twice)", waits, want)
	}
}
