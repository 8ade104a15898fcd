package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestChatPageOrPlainText(t *testing.T) {
	ta := newTestApp(t, Config{Title: "Moodbot <3"})
	res, body := ta.do(t, "GET", "/", "", "Accept", "text/html,application/xhtml+xml")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("chat page: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, want := range []string{`<form id="send"`, `data-api="/api"`, "Moodbot &lt;3",
		"/static/chat.js?v="} {
		if !strings.Contains(body, want) {
			t.Errorf("chat page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, "style=") {
		t.Error("chat page has inline script or style")
	}
	for _, accept := range []string{"", "*/*", "application/json"} {
		res, body = ta.do(t, "GET", "/", "", "Accept", accept)
		if body != "Hello from Parley: 9.9.9\n" ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
			t.Errorf("Accept %q: %q %s", accept, body, res.Header.Get("Content-Type"))
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	ta := newTestApp(t, Config{EmbedOrigins: []string{"https://shop.example"}})
	cases := []struct{ path, frame string }{
		{"/", "frame-ancestors 'self' https://shop.example"},
		{"/embed", "frame-ancestors 'self' https://shop.example"},
		{"/inspect/login", "frame-ancestors 'none'"},
	}
	for _, c := range cases {
		res, _ := ta.do(t, "GET", c.path, "", "Accept", "text/html")
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self';") || !strings.HasSuffix(csp, c.frame) ||
			strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", c.path, csp)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" ||
			res.Header.Get("Referrer-Policy") != "same-origin" {
			t.Errorf("%s: headers %v", c.path, res.Header)
		}
	}
}

func TestChatConversation(t *testing.T) {
	ta := newTestApp(t, Config{})
	res, body := ta.do(t, "GET", "/api/history", "")
	if res.StatusCode != 200 {
		t.Fatalf("history: %d %s", res.StatusCode, body)
	}
	greeting := messages(t, body)
	if len(greeting) != 1 || greeting[0].Text != "Hey! How are you?" ||
		len(greeting[0].Buttons) != 1 || greeting[0].Buttons[0].Payload != "/mood_great" {
		t.Fatalf("greeting: %+v", greeting)
	}
	_, body = ta.do(t, "POST", "/api/chat", `{"message": "/mood_great", "title": "great"}`)
	if got := texts(messages(t, body)); !slices.Equal(got, []string{"bot: Great, carry on!"}) {
		t.Fatalf("button click answer: %q", got)
	}
	_, body = ta.do(t, "GET", "/api/history", "")
	want := []string{"bot: Hey! How are you?", "user: great", "bot: Great, carry on!"}
	if got := texts(messages(t, body)); !slices.Equal(got, want) {
		t.Fatalf("history after reload: %q, want %q", got, want)
	}
	_, body = ta.do(t, "POST", "/api/restart", "")
	if got := texts(messages(t, body)); !slices.Equal(got, []string{"bot: Hey! How are you?"}) {
		t.Fatalf("start over: %q", got)
	}
	_, body = ta.do(t, "GET", "/api/history", "")
	if got := texts(messages(t, body)); !slices.Equal(got, []string{"bot: Hey! How are you?"}) {
		t.Fatalf("history after start over: %q", got)
	}
	ids, _ := ta.trackers.Conversations(t.Context())
	if len(ids) != 2 {
		t.Errorf("conversations after start over: %q, want 2", ids)
	}
}

func TestChatRequestErrors(t *testing.T) {
	ta := newTestApp(t, Config{})
	cases := []struct {
		body, ctype string
		status      int
	}{
		{`{"message": "   "}`, "application/json", 400},
		{`{"message":`, "application/json", 400},
		{`message=hi`, "application/x-www-form-urlencoded", 415},
		{`{"message": "` + strings.Repeat("a", maxMessageRunes+1) + `"}`, "application/json", 413},
		{`{"message": "` + strings.Repeat("a", maxAPIBody) + `"}`, "application/json", 413},
	}
	for _, c := range cases {
		res, body := ta.do(t, "POST", "/api/chat", c.body, "Content-Type", c.ctype)
		if res.StatusCode != c.status || !strings.Contains(body, `"error"`) {
			t.Errorf("%.40s: %d %s, want %d", c.body, res.StatusCode, body, c.status)
		}
	}
	ta.bot.down = "The model is being trained; try again in a few seconds."
	res, body := ta.do(t, "POST", "/api/chat", `{"message": "hi"}`)
	if res.StatusCode != 503 || !strings.Contains(body, "being trained") {
		t.Errorf("bot down: %d %s", res.StatusCode, body)
	}
}

// TestCrossSitePostRefused: a form on another site posting to the chat
// API gets 403 and reaches no bot, while the page's own fetch works.
func TestCrossSitePostRefused(t *testing.T) {
	ta := newTestApp(t, Config{})
	cases := []struct {
		name string
		hdr  []string
		want int
	}{
		{"same-origin fetch", []string{"Sec-Fetch-Site", "same-origin"}, 200},
		{"cross-site form", []string{"Sec-Fetch-Site", "cross-site",
			"Content-Type", "text/plain"}, 403},
		{"cross-site fetch", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"same-site other origin", []string{"Sec-Fetch-Site", "same-site"}, 403},
		{"old browser, other origin", []string{"Sec-Fetch-Site", "",
			"Origin", "https://evil.example"}, 403},
		{"old browser, own origin", []string{"Sec-Fetch-Site", "", "Origin", ""}, 200},
	}
	for _, c := range cases {
		hdr := c.hdr
		if c.name == "old browser, own origin" {
			hdr = []string{"Sec-Fetch-Site", "", "Origin", ta.srv.URL}
		}
		for _, path := range []string{"/api/chat", "/embed/api/chat", "/inspect/login"} {
			body := `{"message": "hello"}`
			res, _ := ta.do(t, "POST", path, body, hdr...)
			want := c.want
			if path == "/inspect/login" && want == 200 {
				want = 401 // allowed through, then the empty login fails
			}
			if res.StatusCode != want {
				t.Errorf("%s %s: %d, want %d", c.name, path, res.StatusCode, want)
			}
		}
	}
}

func TestUnknownHostRefused(t *testing.T) {
	ta := newTestApp(t, Config{AllowedHosts: []string{"chat.example.com"}})
	for host, want := range map[string]int{"evil.example": 400, "chat.example.com": 200,
		"localhost:8080": 200, "chat.example.com.evil.example": 400} {
		ta.logs.Reset()
		res, _ := ta.do(t, "GET", "/", "", "Host", host)
		if res.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, res.StatusCode, want)
		}
		refusals := strings.Count(ta.logs.String(), "not allowed")
		if (want == 400) != (refusals == 1) || (want == 400 &&
			!strings.Contains(ta.logs.String(), "host="+host)) {
			t.Errorf("Host %s: log %q", host, ta.logs.String())
		}
	}
}

// TestScriptInResponseIsText: markup from the bot reaches the page only as
// JSON text, with < and > escaped, never as markup.
func TestScriptInResponseIsText(t *testing.T) {
	ta := newTestApp(t, Config{})
	res, body := ta.do(t, "POST", "/api/chat", `{"message": "html please"}`)
	if res.StatusCode != 200 || strings.Contains(body, "<script>") {
		t.Fatalf("answer: %d %s", res.StatusCode, body)
	}
	if msgs := messages(t, body); msgs[0].Text != `<script>alert(1)</script><b>bold</b>` {
		t.Fatalf("text changed: %q", msgs[0].Text)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("content type %q", ct)
	}
}

func TestStaticFiles(t *testing.T) {
	ta := newTestApp(t, Config{})
	url, _ := ta.pages.assetURL("chat.js")
	res, body := ta.do(t, "GET", strings.TrimPrefix(url, ta.srv.URL), "")
	if res.StatusCode != 200 || !strings.Contains(body, "textContent") ||
		!strings.Contains(res.Header.Get("Cache-Control"), "immutable") ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("chat.js: %d %v", res.StatusCode, res.Header)
	}
	if strings.Contains(body, "innerHTML") {
		t.Error("chat.js uses innerHTML")
	}
	if res, _ := ta.do(t, "GET", "/static/..%2Fapp.go", ""); res.StatusCode != 404 {
		t.Errorf("path out of static: %d", res.StatusCode)
	}
	res, _ = ta.do(t, "GET", "/static/embed.js", "", "If-None-Match",
		`"`+ta.pages.assets["embed.js"].hash+`"`)
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET: %d", res.StatusCode)
	}
}

// TestErrorDetailInDevelopment: with ErrorDetail the chat API's error
// carries the logged cause beside the message for the user; without it
// only the message.
func TestErrorDetailInDevelopment(t *testing.T) {
	for _, detail := range []bool{true, false} {
		ta := newTestApp(t, Config{ErrorDetail: detail})
		ta.do(t, "GET", "/", "")
		res, body := ta.do(t, "POST", "/api/chat", `{"message": "crash"}`)
		var e apiErrorBody
		if err := json.Unmarshal([]byte(body), &e); err != nil || res.StatusCode != 500 {
			t.Fatalf("ErrorDetail %v: %d %s", detail, res.StatusCode, body)
		}
		if got := strings.Contains(e.Detail, "disk full"); got != detail {
			t.Errorf("ErrorDetail %v: detail %q", detail, e.Detail)
		}
		if e.Error == "" || strings.Contains(e.Error, "disk full") {
			t.Errorf("the message must tell the user, without the cause: %q", e.Error)
		}
	}
}

// TestTitleOnlyForOfferedButtons: a message is shown as a button's title
// only when the bot offered that button; a typed message that claims a
// title shows as typed.
func TestTitleOnlyForOfferedButtons(t *testing.T) {
	ta := newTestApp(t, Config{})
	ta.do(t, "GET", "/api/history", "") // the greeting offers "great" -> /mood_great
	ta.do(t, "POST", "/api/chat", `{"message": "/mood_great", "title": "<b>not offered</b>"}`)
	ta.do(t, "POST", "/api/chat", `{"message": "hello", "title": "great"}`)
	_, body := ta.do(t, "GET", "/api/history", "")
	got := texts(messages(t, body))
	want := []string{"bot: Hey! How are you?", "user: /mood_great", "bot: Great, carry on!",
		"user: hello", "bot: Hey! How are you?"}
	if !slices.Equal(got, want) {
		t.Errorf("history %q, want %q", got, want)
	}
}
