package web

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/model"
)

// loggedIn returns a test app whose client is logged in to the inspector.
func loggedIn(t *testing.T, cfg Config) *testApp {
	t.Helper()
	ta := newTestApp(t, cfg)
	if err := AddUser(t.Context(), ta.store, "ann", "correct horse", 4, false); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := ta.login(t, "ann", "correct horse", ""); code != 303 {
		t.Fatalf("login: %d", code)
	}
	return ta
}

func TestInspectorShowsTurns(t *testing.T) {
	ta := loggedIn(t, Config{})
	ta.do(t, "GET", "/api/history", "")
	ta.do(t, "POST", "/api/chat", `{"message": "/mood_great", "title": "great"}`)
	ta.do(t, "POST", "/api/chat", `{"message": "html <img src=x onerror=alert(1)>"}`)
	ta.do(t, "POST", "/api/chat", `{"message": "in Berlin"}`)
	ids, _ := ta.trackers.Conversations(t.Context())
	_, list := ta.do(t, "GET", "/inspect?q="+ids[0][4:12], "")
	for _, want := range []string{ids[0], "m1.tar.gz", "1 conversation matching"} {
		if !strings.Contains(list, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	if _, none := ta.do(t, "GET", "/inspect?q=nothing-like-this", ""); !strings.Contains(none,
		"No conversation id contains") {
		t.Error("search for nothing found something")
	}
	res, page := ta.do(t, "GET", "/inspect/conversations/"+ids[0], "")
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("conversation page: %d %v", res.StatusCode, res.Header)
	}
	for _, want := range []string{"mood_great", "100.0%", "RulePolicy", "utter_x",
		"button “great”", "greeting", "deny", "4.0%", "Great, carry on!",
		"&lt;img src=x onerror=alert(1)&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;",
		// the entity with its extractor and confidence, and the slot it set
		"<strong>city</strong> = “Berlin” <span class=\"conf\">by DIETClassifier, 97.0%",
		`<span class="kind">slot</span></td>` + "\n            <td><code>city</code>"} {
		if !strings.Contains(page, want) {
			t.Errorf("conversation page lacks %q", want)
		}
	}
	if strings.Contains(page, "<img src=x") || strings.Contains(page, "<script>alert") {
		t.Error("user or bot markup reached the inspector page unescaped")
	}
	if res, _ := ta.do(t, "GET", "/inspect/conversations/nobody", ""); res.StatusCode != 404 {
		t.Errorf("unknown conversation: %d", res.StatusCode)
	}
}

func TestRetrain(t *testing.T) {
	release := make(chan struct{})
	trained := &model.Model{Path: "/p/models/new.tar.gz"}
	cfg := Config{Train: func(_ context.Context, progress func(string, int, int)) (
		*model.Model, error) {
		progress("intent classifier", 3, 10)
		<-release
		return trained, nil
	}}
	ta := loggedIn(t, cfg)
	res, body := ta.do(t, "POST", "/inspect/retrain", "")
	if res.StatusCode != 202 || !strings.Contains(body, `"running":true`) {
		t.Fatalf("start: %d %s", res.StatusCode, body)
	}
	if res, _ := ta.do(t, "POST", "/inspect/retrain", ""); res.StatusCode != 409 {
		t.Errorf("second start while running: %d", res.StatusCode)
	}
	var st RetrainState
	for st.Stage != "intent classifier" {
		_, body = ta.do(t, "GET", "/inspect/retrain", "")
		json.Unmarshal([]byte(body), &st)
	}
	if st.Done != 3 || st.Total != 10 || !st.Running {
		t.Errorf("progress: %+v", st)
	}
	close(release)
	for st.Running {
		_, body = ta.do(t, "GET", "/inspect/retrain", "")
		json.Unmarshal([]byte(body), &st)
	}
	if st.Model != "new.tar.gz" || st.Error != "" || ta.bot.Model() != trained {
		t.Errorf("after training: %+v, model in use %v", st, ta.bot.Model())
	}
}

func TestRetrainFailureAndMissing(t *testing.T) {
	ta := loggedIn(t, Config{})
	if res, body := ta.do(t, "POST", "/inspect/retrain", ""); res.StatusCode != 409 ||
		!strings.Contains(body, "parley run") {
		t.Errorf("retrain without a project: %d %s", res.StatusCode, body)
	}
	ta = loggedIn(t, Config{Train: func(context.Context, func(string, int, int)) (
		*model.Model, error) {
		return nil, errors.New("domain.yml: bad")
	}})
	ta.do(t, "POST", "/inspect/retrain", "")
	var st RetrainState
	for st.Error == "" {
		_, body := ta.do(t, "GET", "/inspect/retrain", "")
		json.Unmarshal([]byte(body), &st)
	}
	if st.Running || st.Error != "domain.yml: bad" || ta.bot.Model().Path != "/p/models/m1.tar.gz" {
		t.Errorf("failed training: %+v", st)
	}
}

func TestReports(t *testing.T) {
	dir := t.TempDir()
	report := `{"greet": {"precision": 1.0, "recall": 0.5, "f1-score": 0.667, "support": 4},
		"goodbye": {"precision": 0.8, "recall": 1.0, "f1-score": 0.889, "support": 4,
		"confused_with": {}}, "accuracy": 0.75,
		"weighted avg": {"precision": 0.9, "recall": 0.75, "f1-score": 0.778, "support": 8}}`
	os.WriteFile(filepath.Join(dir, "intent_report.json"), []byte(report), 0o644)
	os.WriteFile(filepath.Join(dir, "story_report.json"), []byte(`not json`), 0o644)
	os.WriteFile(filepath.Join(dir, "intent_histogram.png"), []byte("\x89PNG\r\n"), 0o644)
	os.WriteFile(filepath.Join(t.TempDir(), "secret.png"), []byte("secret"), 0o644)
	ta := loggedIn(t, Config{ResultsDir: dir})
	_, page := ta.do(t, "GET", "/inspect/reports", "")
	for _, want := range []string{"NLU: intents", "75.0%", "66.7%", "weighted avg",
		`<svg class="chart"`, `width="213"`, "/inspect/results/intent_histogram.png",
		"Could not read story_report.json"} {
		if !strings.Contains(page, want) {
			t.Errorf("reports page lacks %q", want)
		}
	}
	res, body := ta.do(t, "GET", "/inspect/results/intent_histogram.png", "")
	if res.StatusCode != 200 || body != "\x89PNG\r\n" {
		t.Errorf("plot: %d %q", res.StatusCode, body)
	}
	for _, bad := range []string{"..%2Fsecret.png", "intent_report.json", "nothing.png"} {
		if res, _ := ta.do(t, "GET", "/inspect/results/"+bad, ""); res.StatusCode != 404 {
			t.Errorf("%s: %d", bad, res.StatusCode)
		}
	}
}
