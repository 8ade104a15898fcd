package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parley-chat/parley/internal/testenv"
)

// browserTimeout bounds one test's work in the browser.
const browserTimeout = 2 * time.Minute

// chromiumPath finds Debian's chromium, or $PARLEY_CHROMIUM.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("PARLEY_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	testenv.Missing(t, "chromium is not installed (apt-get install -y chromium); "+
		"the browser tests need it")
	return ""
}

// newBrowser starts a headless Chromium that stays off the network (no
// background requests, no updates), as root needs --no-sandbox, and
// returns its context.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 860),
	)
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	t.Cleanup(cancel)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return bctx
}

// step is one browser action that returns nothing.
type step = chromedp.Action[chromedp.Void]

// run runs browser steps, failing the test with what was being done.
func run(t *testing.T, ctx context.Context, what string, steps ...step) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](
			`document.body ? document.body.innerText : ""`))
		t.Fatalf("%s: %v\npage text:\n%s", what, err, page)
	}
}

// value runs one browser action that returns a value.
func value[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// waitJS waits until the JavaScript expression is true.
func waitJS(expr string) step {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(30*time.Second))
}

// waitText waits until an element matching css shows text.
func waitText(css, text string) step {
	return waitJS(fmt.Sprintf(`Array.from(document.querySelectorAll(%q))
		.some(e => e.textContent.includes(%q))`, css, text))
}

// chatLog reads the chat log as "user: ..." and "bot: ..." lines.
func chatLog(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return value(t, ctx, "reading the chat log", chromedp.Evaluate[[]string](`Array.from(
		document.querySelectorAll("#log .msg")).map(m =>
		(m.classList.contains("user") ? "user: " : "bot: ") +
		(m.querySelector(".text") ? m.querySelector(".text").textContent : ""))`))
}

// screenshot saves the viewport as docs/screenshots/name in the repository.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png := value(t, ctx, "taking screenshot "+name, chromedp.CaptureScreenshot())
	dir := filepath.Join(testenv.RepoRoot(t), "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// axeViolation is one failed axe-core rule.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeSource reads axe-core from testdata/axe (installed by npm ci).
func axeSource(t *testing.T) string {
	t.Helper()
	path := filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js")
	src, err := os.ReadFile(path)
	if err != nil {
		testenv.Missing(t, "axe-core is not installed: run `npm ci` in "+
			"internal/web/browsertest/testdata/axe ("+err.Error()+")")
	}
	return string(src)
}

// checkAccessibility runs axe-core on the page and fails on any serious or
// critical violation; lesser ones are logged.
func checkAccessibility(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	run(t, ctx, "loading axe-core", chromedp.Evaluate[chromedp.Void](axeSource(t)))
	found := value(t, ctx, "running axe-core on "+page, chromedp.Evaluate[[]axeViolation](
		`axe.run(document, {resultTypes: ["violations"]}).then(r =>
			r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
				nodes: v.nodes.map(n => n.html)})))`, chromedp.EvalAwaitPromise))
	for _, v := range found {
		msg := fmt.Sprintf("%s: axe %s (%s): %s\n  %s", page, v.ID, v.Impact, v.Help,
			strings.Join(v.Nodes, "\n  "))
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}
