package server

import (
	"context"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/testenv"
)

// webchatPage loads the rasa-webchat bundle and points it at the bot's
// socketio channel, embedded in the page, with session persistence.
var webchatPage = template.Must(template.New("page").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>rasa-webchat against Parley</title></head>
<body><div id="webchat" style="height:600px"></div>
<script src="/webchat/index.js"></script>
<script>
WebChat.default({initPayload: "/greet", socketUrl: {{.}}, socketPath: "/socket.io/",
  embedded: true, title: "Parley", customData: {language: "en"},
  params: {storage: "session"}}, document.getElementById("webchat"));
</script></body></html>`))

// webchatTools finds the widget bundle (tests/webchat, installed with npm
// ci) and Chromium, or skips (fails under CI) without them.
func webchatTools(t *testing.T) (bundle, browser string) {
	t.Helper()
	if testing.Short() {
		t.Skip("drives a browser")
	}
	bundle = filepath.Join(testenv.RepoRoot(t), "tests", "webchat", "node_modules",
		"rasa-webchat", "lib", "index.js")
	if _, err := os.Stat(bundle); err != nil {
		testenv.Missing(t, "rasa-webchat is not installed: run `npm ci` in tests/webchat")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return bundle, p
		}
	}
	testenv.Missing(t, "Chromium is missing: apt-get install -y chromium")
	return "", ""
}

// TestWebchatInChromium loads rasa-webchat 1.0.1 in headless Chromium from
// a page on another loopback port (so CORS is on the way), talks to the
// socketio channel, clicks a quick reply, types a message, and reloads the
// page: the session, and so the conversation, goes on.
func TestWebchatInChromium(t *testing.T) {
	bundle, browser := webchatTools(t)
	creds := map[string]map[string]any{"socketio": {"session_persistence": true}}
	s, logs := botServer(t, Options{Credentials: creds, CORS: []string{"*"}})
	bot := httptest.NewServer(s.Handler())
	defer bot.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /webchat/index.js", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, bundle)
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = webchatPage.Execute(w, bot.URL)
	})
	page := httptest.NewServer(mux)
	defer page.Close()

	ctx, closeBrowser := browserContext(t, browser)
	defer closeBrowser()
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(page.URL),
		waitForText("Hey! How are you?"),
		chromedp.Click(chromedp.Search(
			`//*[contains(@class,"rw-reply")][normalize-space(.)="super sad"]`)),
		waitForText("Did that help you?"),
		chromedp.SendKeys(chromedp.CSS(".rw-new-message"), "yes"+kb.Enter),
		waitForText("Great, carry on!"),
		chromedp.Reload(),
		waitForText("Great, carry on!"),
		chromedp.SendKeys(chromedp.CSS(".rw-new-message"), "bye"+kb.Enter),
		waitForText("Bye"),
	}
	for i, step := range steps {
		start := time.Now()
		_, err := chromedp.Run(ctx, step)
		t.Logf("step %d: %s", i, time.Since(start).Round(time.Millisecond))
		if err != nil {
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
			t.Fatalf("step %d: %v\npage text:\n%s\nserver log:\n%s", i, err, text, logs)
		}
	}
	assertOneWebchatConversation(t, s)
}

// assertOneWebchatConversation checks that the reload kept the
// conversation: one conversation with the four user messages.
func assertOneWebchatConversation(t *testing.T, s *Server) {
	t.Helper()
	ctx := context.Background()
	ids, err := s.opts.Store.Conversations(ctx)
	if err != nil || len(ids) != 1 {
		t.Fatalf("conversations: %q %v", ids, err)
	}
	events, _ := s.opts.Store.Load(ctx, ids[0])
	var texts []string
	for _, e := range events {
		if e.Type == event.User {
			texts = append(texts, e.Text+"@"+e.InputChannel)
		}
	}
	want := []string{"/greet@socketio", "/mood_unhappy@socketio", "yes@socketio", "bye@socketio"}
	if len(texts) != len(want) {
		t.Fatalf("user messages: %q, want %q", texts, want)
	}
	for i := range want {
		if texts[i] != want[i] {
			t.Errorf("user message %d: %q, want %q", i, texts[i], want[i])
		}
	}
}

// browserContext starts headless Chromium for the test; no web fonts or
// other outside requests can load, and the page must work without them.
func browserContext(t *testing.T, browser string) (context.Context, func()) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// The first Run starts the browser; its context must not time out.
	if _, err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("starting %s: %v", browser, err)
	}
	return ctx, func() {
		cancel()
		cancelAlloc()
	}
}

// waitForText waits until the page shows text.
func waitForText(text string) chromedp.Action[chromedp.Void] {
	js := `document.body && document.body.innerText.includes(` + strconv.Quote(text) + `)`
	return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(20*time.Second))
}
