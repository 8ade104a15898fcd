package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/policy"
	"github.com/parley-chat/parley/internal/server"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/web"
)

// markup is a bot response that would run script if it were read as HTML.
const markup = `<script>window.pwned = 1</script>` +
	`<img src="x" onerror="window.pwned = 2"><b>bold</b>`

// markupAgent answers every message with markup, keeps the turns in the
// tracker store as the real agent does, and counts them.
type markupAgent struct {
	turns    *atomic.Int32
	trackers store.TrackerStore
}

func (a markupAgent) HandleMessage(ctx context.Context, msg agent.UserMessage) ([]event.Event,
	error) {
	a.turns.Add(1)
	reply := event.Event{Type: event.Bot, Text: markup}
	err := a.trackers.Append(ctx, msg.ConversationID, []event.Event{
		{Type: event.User, Text: msg.Text, Metadata: msg.Metadata}, reply})
	return []event.Event{reply}, err
}

// startMarkupBot serves markupAgent with a stand-in model.
func startMarkupBot(t *testing.T, env map[string]string) (*parley, *atomic.Int32) {
	t.Helper()
	turns := &atomic.Int32{}
	newAgent := func(st store.TrackerStore) server.Agent {
		return markupAgent{turns: turns, trackers: st}
	}
	m := &model.Model{Path: "/models/markup.tar.gz", Domain: &domain.Domain{},
		Policies: &policy.Ensemble{}}
	env2 := map[string]string{web.EnvGreeting: "hello"}
	for k, v := range env {
		env2[k] = v
	}
	return startParley(t, setup{model: m, env: env2, agent: newAgent}), turns
}

// TestBotMarkupShowsAsText: HTML and script in a bot response appear as
// text in the chat and never run.
func TestBotMarkupShowsAsText(t *testing.T) {
	ctx := newBrowser(t)
	p, _ := startMarkupBot(t, nil)
	run(t, ctx, "opening the chat", chromedp.Navigate(p.url("/")),
		waitText(".msg.bot .text", "<script>"))
	got := value(t, ctx, "inspecting the bubble", chromedp.Evaluate[string](`JSON.stringify({
		text: document.querySelector(".msg.bot .text").textContent,
		pwned: window.pwned === undefined ? "no" : "yes",
		elements: document.querySelectorAll("#log script, #log img, #log b").length})`))
	want := fmt.Sprintf(`{"text":%q,"pwned":"no","elements":0}`, markup)
	if got != strings.ReplaceAll(want, `\u003c`, "<") {
		t.Errorf("bubble = %s\nwant     %s", got, want)
	}
}

// TestCrossSiteFormRefused: a form on another site that posts to the chat
// API, as a CSRF attack would, gets 403 and reaches no bot.
func TestCrossSiteFormRefused(t *testing.T) {
	ctx := newBrowser(t)
	p, turns := startMarkupBot(t, map[string]string{web.EnvGreeting: ""})
	target := p.url("/api/chat")
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `<!doctype html><title>evil</title>
<form id="f" method="post" action="%s" enctype="text/plain">
<input name='{"message": "hi", "x": "' value='"}'></form>`, target)
	}))
	defer evil.Close()
	// localhost is another site than 127.0.0.1, where Parley listens.
	evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)
	run(t, ctx, "opening the other site", chromedp.Navigate(evilURL))
	res, err := chromedp.RunResponse(ctx, chromedp.Submit(chromedp.CSS("#f")))
	if err != nil || res == nil || res.Status != http.StatusForbidden {
		t.Errorf("cross-site form post answered %v (%v), want 403", res, err)
	}
	if n := turns.Load(); n != 0 {
		t.Errorf("the cross-site post reached the bot (%d turns)", n)
	}
	run(t, ctx, "chatting on the page itself", chromedp.Navigate(p.url("/")),
		chromedp.SendKeys(chromedp.CSS("#message"), "hi"),
		chromedp.Click(chromedp.CSS("#send-button")),
		waitText(".msg.bot .text", "<script>"))
	if n := turns.Load(); n != 1 {
		t.Errorf("the page's own fetch made %d turns, want 1", n)
	}
}

// TestEmbeddedChat: another site shows the chat through the script tag;
// the conversation goes on after that site's page is reloaded.
func TestEmbeddedChat(t *testing.T) {
	ctx := newBrowser(t)
	var parleyURL atomic.Value
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `<!doctype html><html lang="en"><title>Shop</title><h1>Shop</h1>
<div id="chat-box"></div>
<script src="%s/static/embed.js" data-target="#chat-box" data-title="Shop chat" defer>
</script>`, parleyURL.Load())
	}))
	defer site.Close()
	p, turns := startMarkupBot(t, map[string]string{web.EnvEmbedOrigins: site.URL})
	parleyURL.Store("http://" + p.addr)

	for _, shown := range []int{1, 3} { // the greeting; then after a reload, all

		run(t, ctx, "opening the shop page", chromedp.Navigate(site.URL),
			chromedp.WaitReady(chromedp.CSS(`#chat-box iframe[data-loaded="true"]`)))
		frames := value(t, ctx, "finding the chat frame",
			chromedp.Nodes(chromedp.CSS("#chat-box iframe"), chromedp.Populate(-1, true)))
		inFrame := chromedp.FromNode(frames[0])
		run(t, ctx, "waiting for the embedded chat", chromedp.WaitVisible(
			chromedp.CSSAll("#log .msg"), inFrame, chromedp.AtLeast(shown)))
		if shown == 1 {
			run(t, ctx, "chatting in the frame",
				chromedp.SendKeys(chromedp.CSS("#message"), "hi", inFrame),
				chromedp.Click(chromedp.CSS("#send-button"), inFrame),
				chromedp.WaitVisible(chromedp.CSSAll("#log .msg"), inFrame, chromedp.AtLeast(3)))
		}
	}
	if n := turns.Load(); n != 2 {
		t.Errorf("%d turns, want the greeting and one message", n)
	}
}
