package cli

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/store/storetest"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runningServer is a `parley run` started by startRun.
type runningServer struct {
	url    string
	stderr *syncBuffer
	stop   context.CancelFunc
	done   chan int
}

var upLine = regexp.MustCompile(`Parley server is up: (http://[^/ ]+)/`)

// startRun starts `parley run` in dir on a free loopback port with env,
// and waits until it listens. Cancelling stop is what SIGTERM does.
func startRun(t *testing.T, dir string, env map[string]string, args ...string) *runningServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	rs := &runningServer{stderr: &syncBuffer{}, stop: cancel, done: make(chan int, 1)}
	args = append([]string{"run", "--port", "0", "-i", "127.0.0.1"}, args...)
	go func() {
		rs.done <- Execute(ctx, args, Env{Dir: dir, Stdin: strings.NewReader(""),
			Stdout: io.Discard, Stderr: rs.stderr, Getenv: func(k string) string { return env[k] }})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-rs.done:
		case <-time.After(30 * time.Second):
			t.Error("parley run did not stop")
		}
	})
	for i := 0; i < 600; i++ {
		if m := upLine.FindStringSubmatch(rs.stderr.String()); m != nil {
			rs.url = strings.Replace(m[1], "localhost", "127.0.0.1", 1)
			return rs
		}
		select {
		case code := <-rs.done:
			rs.done <- code
			t.Fatalf("parley run exited with %d:\n%s", code, rs.stderr)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("parley run did not start:\n%s", rs.stderr)
	return nil
}

// call sends a request and returns the status and body.
func call(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// trainedProject writes files into a new project folder and trains it,
// with trainArgs after `parley train`.
func trainedProject(t *testing.T, files map[string]string, trainArgs ...string) string {
	t.Helper()
	dir := writeProject(t, files)
	if r := run(t, dir, "", append([]string{"train"}, trainArgs...)...); r.code != 0 {
		t.Fatalf("train: %+v", r)
	}
	return dir
}

// wantRetrainedGreeting changes the greeting of tinyProject in dir and
// waits up to a minute for rs, in development, to retrain in the
// background and answer with the new one.
func wantRetrainedGreeting(t *testing.T, rs *runningServer, dir string) {
	t.Helper()
	domain := strings.Replace(tinyProject["domain.yml"], "Hello! 👋", "Hi again", 1)
	if err := os.WriteFile(filepath.Join(dir, "domain.yml"), []byte(domain), 0o644); err != nil {
		t.Fatal(err)
	}
	msg := `{"sender": "dev", "message": "hello"}`
	var body string
	for i := 0; i < 600 && !strings.Contains(body, "Hi again"); i++ {
		time.Sleep(100 * time.Millisecond)
		_, body = call(t, "POST", rs.url+"/webhooks/rest/webhook", msg)
	}
	if !strings.Contains(body, "Hi again") {
		t.Fatalf("the changed domain was not picked up: %s\n%s", body, rs.stderr)
	}
}

// productionEnv is a valid production configuration with the API on.
func productionEnv() map[string]string {
	return map[string]string{
		"PARLEY_ENV":           "production",
		"PARLEY_SECRET_KEY":    "9f3b2c7d1e8a4f6b0c5d9e2a7b3f1c8d4e6a0b9c2d7f5e1a3b8c6d0e4f2a9b7c",
		"PARLEY_ALLOWED_HOSTS": "localhost,127.0.0.1",
		"PARLEY_AUTH_TOKEN":    "4c1e9a7b3d5f2e8c6a0b9d7f1e3c5a2b",
	}
}

func TestRunRefusesUnsafeProduction(t *testing.T) {
	dir := writeProject(t, tinyProject)
	var errOut bytes.Buffer
	code := Execute(context.Background(), []string{"run", "--port", "0", "--enable-api"},
		Env{Dir: dir, Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errOut,
			Getenv: func(k string) string {
				return map[string]string{"PARLEY_ENV": "production",
					"PARLEY_ALLOWED_HOSTS": "*"}[k]
			}})
	if code != 1 {
		t.Fatalf("exit code %d, want 1:\n%s", code, errOut.String())
	}
	for _, want := range []string{"PARLEY_SECRET_KEY", "PARLEY_ALLOWED_HOSTS", "PARLEY_AUTH_TOKEN"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("the refusal does not name %s:\n%s", want, errOut.String())
		}
	}
	if strings.Contains(errOut.String(), "Parley server is up") {
		t.Error("the server started")
	}
}

// TestProductionNoModelThenModelAppears: production never trains; parse
// and chat get 409 with the train command until an archive appears in the
// models folder, which is loaded without a restart.
func TestProductionNoModelThenModelAppears(t *testing.T) {
	dir := writeProject(t, tinyProject)
	if err := os.MkdirAll(filepath.Join(dir, "models"), 0o755); err != nil {
		t.Fatal(err)
	}
	env := productionEnv()
	rs := startRun(t, dir, env, "--enable-api")
	token := "?token=" + env["PARLEY_AUTH_TOKEN"]
	code, body := call(t, "POST", rs.url+"/model/parse"+token, `{"text": "hello"}`)
	if code != 409 || !strings.Contains(body, "parley train") {
		t.Errorf("parse without a model: %d %s", code, body)
	}
	code, body = call(t, "POST", rs.url+"/webhooks/rest/webhook", `{"sender": "u", "message": "hi"}`)
	if code != 409 || !strings.Contains(body, "parley train") {
		t.Errorf("chat without a model: %d %s", code, body)
	}
	if code, body := call(t, "GET", rs.url+"/readyz", ""); code != 503 {
		t.Errorf("readyz without a model: %d %s", code, body)
	}
	if code, _ := call(t, "GET", rs.url+"/healthz", ""); code != 200 {
		t.Errorf("healthz: %d", code)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "models")); len(entries) != 0 {
		t.Fatalf("production trained at start: %v", entries)
	}
	other := writeProject(t, tinyProject)
	if r := run(t, other, "", "train", "--out", filepath.Join(dir, "models")); r.code != 0 {
		t.Fatalf("train: %+v", r)
	}
	for i := 0; ; i++ {
		code, body = call(t, "POST", rs.url+"/model/parse"+token, `{"text": "hello"}`)
		if code == 200 || i == 300 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code != 200 || !strings.Contains(body, `"greet"`) {
		t.Fatalf("parse after a model appeared: %d %s\n%s", code, body, rs.stderr)
	}
	code, body = call(t, "GET", rs.url+"/readyz", "")
	if code != 200 || !strings.Contains(body, `"loaded":true`) {
		t.Errorf("readyz with a model: %d %s", code, body)
	}
	if code, _ := call(t, "GET", rs.url+"/metrics", ""); code != 404 {
		t.Errorf("production without a metrics token serves /metrics: %d", code)
	}
}

// holdingProject is tinyProject whose greeting runs a custom action.
func holdingProject(actionURL string) map[string]string {
	files := maps.Clone(tinyProject)
	files["domain.yml"] = strings.Replace(tinyProject["domain.yml"], "responses:",
		"actions: [action_hold]\nresponses:", 1)
	files["data/stories.yml"] = strings.Replace(tinyProject["data/stories.yml"],
		"  - action: utter_greet", "  - action: action_hold\n  - action: utter_greet", 1)
	files["endpoints.yml"] = "action_endpoint:\n  url: " + actionURL + "\n"
	return files
}

// TestSIGTERMFinishesTurnInFlight: a turn held open by the action server
// when the server is told to stop completes, its answer reaches the
// client, and every event of it is in the database.
func TestSIGTERMFinishesTurnInFlight(t *testing.T) {
	entered, release := make(chan string, 1), make(chan struct{})
	actions := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- r.Header.Get("X-Request-ID")
		<-release
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"events": [], "responses": [{"text": "held"}]}`)
	}))
	defer actions.Close()
	dir := trainedProject(t, holdingProject(actions.URL+"/webhook"))
	rs := startRun(t, dir, map[string]string{})
	type answer struct {
		code int
		body string
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := http.Post(rs.url+"/webhooks/rest/webhook", "application/json",
			strings.NewReader(`{"sender": "u1", "message": "hello"}`))
		if err != nil {
			answered <- answer{body: err.Error()}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		answered <- answer{resp.StatusCode, string(b)}
	}()
	var reqID string
	select {
	case reqID = <-entered:
	case a := <-answered:
		t.Fatalf("the turn ended before the action ran: %+v\n%s", a, rs.stderr)
	}
	if reqID == "" {
		t.Error("the action server got no X-Request-ID")
	}
	rs.stop() // what SIGTERM does
	for i := 0; i < 100 && !strings.Contains(rs.stderr.String(), "shutting down"); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	close(release)
	a := <-answered
	if a.code != 200 || !strings.Contains(a.body, "held") || !strings.Contains(a.body, "Hello") {
		t.Errorf("the turn in flight: %+v", a)
	}
	if code := <-rs.done; code != 0 {
		t.Errorf("exit code %d:\n%s", code, rs.stderr)
	}
	rs.done <- 0 // for the cleanup
	storetest.WantStored(t, filepath.Join(dir, ".parley"), "u1", "user:hello",
		"action:action_hold", "bot:held", "action:utter_greet")
}

// TestDevelopmentReloadsChangedProject: in development a change to the
// domain retrains in the background and the new model answers, without a
// restart.
func TestDevelopmentReloadsChangedProject(t *testing.T) {
	if testing.Short() {
		t.Skip("trains twice; not in -short")
	}
	dir := trainedProject(t, tinyProject)
	rs := startRun(t, dir, map[string]string{})
	msg := `{"sender": "dev", "message": "hello"}`
	if code, body := call(t, "POST", rs.url+"/webhooks/rest/webhook", msg); code != 200 ||
		!strings.Contains(body, "Hello!") {
		t.Fatalf("first answer: %d %s", code, body)
	}
	wantRetrainedGreeting(t, rs, dir)
}
