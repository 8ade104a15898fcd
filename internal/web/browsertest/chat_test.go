package browsertest

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestMoodbotInBrowser chats with moodbot in Chromium, clicks a button,
// reloads, restarts the server, and finds the conversation each time; then
// logs in to the inspector and finds the turn with its intent and policy.
func TestMoodbotInBrowser(t *testing.T) {
	ctx := newBrowser(t)
	p := startParley(t, trainMoodbot(t))

	run(t, ctx, "opening the chat page",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(p.url("/")),
		waitText(".msg.bot .text", "Hey! How are you?"),
		chromedp.Click(`//div[@class="choices"]/button[text()="great"]`),
		waitText(".msg.bot .text", "Great, carry on!"),
		chromedp.SendKeys(chromedp.CSS("#message"), "are you a bot?"),
		chromedp.Click(chromedp.CSS("#send-button")),
		waitText(".msg.bot .text", "I am a bot, powered by Rasa."))
	want := []string{"bot: Hey! How are you?", "user: great", "bot: Great, carry on!",
		"user: are you a bot?", "bot: I am a bot, powered by Rasa."}
	if got := chatLog(t, ctx); !slices.Equal(got, want) {
		t.Fatalf("chat log: %q, want %q", got, want)
	}
	if !value(t, ctx, "checking the answered buttons", chromedp.Evaluate[bool](
		`Array.from(document.querySelectorAll(".choices button")).every(b => b.disabled)`)) {
		t.Error("the buttons of an answered message are still active")
	}
	screenshot(t, ctx, "chat.png")
	checkAccessibility(t, ctx, "chat page")

	run(t, ctx, "reloading", chromedp.Reload(), waitText(".msg.bot .text", "powered by Rasa"))
	if got := chatLog(t, ctx); !slices.Equal(got, want) {
		t.Fatalf("chat log after reload: %q, want %q", got, want)
	}

	p.restart()
	run(t, ctx, "opening the chat after a restart", chromedp.Navigate(p.url("/")),
		waitText(".msg.bot .text", "powered by Rasa"))
	if got := chatLog(t, ctx); !slices.Equal(got, want) {
		t.Fatalf("chat log after restart: %q, want %q", got, want)
	}

	run(t, ctx, "phone-sized screen", chromedp.EmulateViewport(375, 740,
		chromedp.EmulateScale(2)), chromedp.Reload(),
		waitText(".msg.bot .text", "powered by Rasa"))
	checkFits(t, ctx)
	screenshot(t, ctx, "chat-375.png")
	run(t, ctx, "desktop screen again", chromedp.EmulateViewport(1280, 800))

	inspectTurn(t, ctx, p)

	run(t, ctx, "starting over", chromedp.Navigate(p.url("/")),
		waitText(".msg.bot .text", "powered by Rasa"),
		chromedp.Click(chromedp.CSS(`#restart button`)),
		waitJS(`document.querySelectorAll("#log .msg").length === 1`))
	if got := chatLog(t, ctx); !slices.Equal(got, want[:1]) {
		t.Errorf("after start over: %q, want only the greeting", got)
	}
}

// checkFits fails when the page scrolls sideways or the message form is
// not wholly on the screen.
func checkFits(t *testing.T, ctx context.Context) {
	t.Helper()
	fits := value(t, ctx, "measuring the page", chromedp.Evaluate[bool](`(() => {
		const b = document.getElementById("send-button").getBoundingClientRect();
		const i = document.getElementById("message").getBoundingClientRect();
		return document.documentElement.scrollWidth <= window.innerWidth &&
			b.right <= window.innerWidth && b.bottom <= window.innerHeight && i.width >= 150;
	})()`))
	if !fits {
		t.Error("at 375 px the page scrolls sideways or the message form is cut off")
	}
}

// inspectTurn logs in to the inspector and checks the button click's turn.
func inspectTurn(t *testing.T, ctx context.Context, p *parley) {
	t.Helper()
	p.addUser("admin", "correct horse battery")
	run(t, ctx, "opening the inspector without login",
		chromedp.Navigate(p.url("/inspect")),
		chromedp.WaitVisible(chromedp.CSS("#password")))
	loc := value(t, ctx, "reading the address", chromedp.Location())
	if !strings.Contains(loc, "/inspect/login?next=") {
		t.Errorf("inspector without login went to %s, want the login page", loc)
	}
	checkAccessibility(t, ctx, "login page")
	run(t, ctx, "logging in",
		chromedp.SendKeys(chromedp.CSS("#name"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), "correct horse battery"),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("table.list")))
	screenshot(t, ctx, "inspector-list.png")
	checkAccessibility(t, ctx, "inspector list")
	before := p.model.Path
	run(t, ctx, "retraining", chromedp.Click(chromedp.CSS("#retrain")),
		waitText("#retrain-note", "Now using"), chromedp.Navigate(p.url("/inspect")),
		chromedp.WaitVisible(chromedp.CSS("table.list")))
	if file := value(t, ctx, "reading the model in use", chromedp.Text(chromedp.CSS(
		".model dd code"))); strings.Contains(before, file) {
		t.Errorf("the inspector still shows the old model %s after retraining", file)
	}
	run(t, ctx, "opening the conversation",
		chromedp.Click(chromedp.CSS(`table.list a`)),
		chromedp.WaitVisible(chromedp.CSS("ol.turns")),
		waitText(".turn", "mood_great"))
	turn := value(t, ctx, "reading the button click's turn", chromedp.Evaluate[string](
		`Array.from(document.querySelectorAll(".turn")).map(e => e.innerText)
		.find(s => s.includes("button “great”"))`))
	for _, want := range []string{"mood_great", "100.0%", "utter_happy", "button “great”"} {
		if !strings.Contains(turn, want) {
			t.Errorf("the inspector's turn lacks %q:\n%s", want, turn)
		}
	}
	if !regexp.MustCompile(`utter_happy\s+\w+Policy\s+\d+\.\d%`).MatchString(turn) {
		t.Errorf("the inspector's turn has no policy and confidence for utter_happy:\n%s", turn)
	}
	screenshot(t, ctx, "inspector.png")
	checkAccessibility(t, ctx, "inspector conversation")
	run(t, ctx, "opening the test reports", chromedp.Navigate(p.url("/inspect/reports")),
		waitText("h2", "NLU: intents"),
		waitJS(`Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)`))
	screenshot(t, ctx, "inspector-reports.png")
	checkAccessibility(t, ctx, "test reports")
}
