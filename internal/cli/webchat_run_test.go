package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

// TestChatHistorySurvivesRestartOfRun: the chat page's session through the
// real `parley run` wiring: the browser cookie (signed with the development
// key kept in .parley/), the conversation stored in SQLite, and both still
// there after the server restarts; a cross-site post is refused.
func TestChatHistorySurvivesRestartOfRun(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model; not in -short")
	}
	dir := trainedProject(t, tinyProject)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	chat := func(rs *runningServer, method, path, body, site string) (int, []string) {
		t.Helper()
		req, err := http.NewRequest(method, strings.TrimSuffix(rs.url, "/")+path,
			strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Sec-Fetch-Site", site)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		var answer struct {
			Messages []struct{ From, Text string } `json:"messages"`
		}
		_ = json.Unmarshal(data, &answer)
		var texts []string
		for _, m := range answer.Messages {
			texts = append(texts, m.From+": "+m.Text)
		}
		return resp.StatusCode, texts
	}

	first := startRun(t, dir, map[string]string{})
	if code, _ := chat(first, "GET", "/api/history", "", "same-origin"); code != 200 {
		t.Fatalf("history: %d", code)
	}
	if code, got := chat(first, "POST", "/api/chat", `{"message": "hello"}`,
		"same-origin"); code != 200 || len(got) == 0 {
		t.Fatalf("chat: %d %q", code, got)
	}
	if code, _ := chat(first, "POST", "/api/chat", `{"message": "hello"}`,
		"cross-site"); code != http.StatusForbidden {
		t.Errorf("a cross-site post: %d, want 403", code)
	}
	_, before := chat(first, "GET", "/api/history", "", "same-origin")
	first.stop()
	<-first.done
	first.done <- 0

	second := startRun(t, dir, map[string]string{})
	// The cookie was set for the first server's address; the second
	// listens on another port of the same host, which the jar treats alike.
	u, _ := url.Parse(second.url)
	if len(jar.Cookies(u)) == 0 {
		t.Fatal("the browser has no session cookie for the restarted server")
	}
	_, after := chat(second, "GET", "/api/history", "", "same-origin")
	if len(before) < 2 || strings.Join(after, "|") != strings.Join(before, "|") {
		t.Errorf("history after the restart %q, want %q", after, before)
	}
}
