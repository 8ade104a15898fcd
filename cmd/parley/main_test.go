package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/testenv"
)

// These tests run the real parley binary, built once in TestMain, on
// whole projects: the starter project and the moodbot from ../shared.
// They pass only when the NLU pipeline, the dialogue policies, the agent
// and story evaluation are all built; until then they fail on the first
// answer that needs them.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "parley-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "parley")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building parley:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is the outcome of one parley run.
type result struct {
	code           int
	stdout, stderr string
}

// parley runs the binary in dir with args and stdin.
func parley(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	res := result{stdout: out.String(), stderr: errOut.String()}
	if exit, ok := err.(*exec.ExitError); ok {
		res.code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("running parley %v: %v", args, err)
	}
	t.Logf("parley %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), res.code,
		res.stdout, res.stderr)
	return res
}

// copyProject copies a read-only shared project into a temporary folder.
func copyProject(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestVersionAndHelp(t *testing.T) {
	dir := t.TempDir()
	if r := parley(t, dir, "", "version"); r.code != 0 || !strings.Contains(r.stdout, "Parley ") {
		t.Errorf("version: %+v", r)
	}
	r := parley(t, dir, "", "run", "--help")
	for _, flag := range []string{"--port", "--enable-api", "--auth-token", "--credentials",
		"--endpoints", "--cors", "-m, --model"} {
		if !strings.Contains(r.stdout, flag) {
			t.Errorf("run --help lacks %s", flag)
		}
	}
}

func TestStarterProject(t *testing.T) {
	dir := t.TempDir()
	if r := parley(t, dir, "", "init", "bot"); r.code != 0 {
		t.Fatalf("init failed: %s", r.stderr)
	}
	bot := filepath.Join(dir, "bot")
	if r := parley(t, bot, "", "init"); r.code == 0 {
		t.Error("a second init overwrote the project without --force")
	}
	if r := parley(t, bot, "", "data", "validate"); r.code != 0 ||
		!strings.Contains(r.stdout, "0 errors, 0 warnings") {
		t.Errorf("the starter project does not validate cleanly: %s%s", r.stdout, r.stderr)
	}
	r := parley(t, bot, "", "train")
	if r.code != 0 || !strings.Contains(r.stdout, "models/") {
		t.Fatalf("train failed: %s", r.stderr)
	}
	if strings.Contains(r.stderr, "warning") {
		t.Errorf("training the starter project warned:\n%s", r.stderr)
	}
	if r := parley(t, bot, "", "train"); !strings.Contains(r.stdout, "Nothing changed") {
		t.Errorf("a second train did not reuse the model: %s", r.stdout)
	}
	r = parley(t, bot, "", "test")
	if r.code != 0 {
		t.Errorf("parley test on the starter project: exit %d", r.code)
	}
	for _, f := range []string{"story_report.json", "failed_test_stories.yml", "intent_report.json"} {
		if _, err := os.Stat(filepath.Join(bot, "results", f)); err != nil {
			t.Errorf("results/%s was not written", f)
		}
	}
}

func TestMoodbot(t *testing.T) {
	bot := copyProject(t, testenv.Shared(t, "data/bots/moodbot"))
	r := parley(t, bot, "", "train")
	if r.code != 0 {
		t.Fatalf("train failed: %s", r.stderr)
	}
	r = parley(t, bot, "", "test")
	m := regexp.MustCompile(`Stories: (\d+) of (\d+) passed`).FindStringSubmatch(r.stdout)
	if m == nil || m[2] != "7" {
		t.Fatalf("parley test on moodbot: exit %d, %s", r.code, r.stdout)
	}
	if wantCode := map[bool]int{true: 0, false: 1}[m[1] == m[2]]; r.code != wantCode {
		t.Errorf("parley test exit code %d with %s: want %d", r.code, m[0], wantCode)
	}
	// The dialogue must predict every action of every test story; a story
	// can still fail on its user text's intent, which the NLU decides.
	var report struct {
		Accuracy     float64 `json:"accuracy"`
		Conversation struct {
			Correct int `json:"correct"`
			Total   int `json:"total"`
		} `json:"conversation_accuracy"`
	}
	data, err := os.ReadFile(filepath.Join(bot, "results", "story_report.json"))
	if err != nil || json.Unmarshal(data, &report) != nil {
		t.Fatalf("results/story_report.json: %v", err)
	}
	if report.Accuracy != 1 || report.Conversation.Total != 7 {
		t.Errorf("story_report.json: action accuracy %v over %d stories, want 1 over 7",
			report.Accuracy, report.Conversation.Total)
	}
	t.Logf("moodbot test stories: %s (action accuracy %v)", m[0], report.Accuracy)
	r = parley(t, bot, "hello\n\n👍\n", "shell", "nlu")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 3 {
		t.Fatalf("shell nlu printed %d lines for 3 input lines: %q", len(lines), r.stdout)
	}
	var parse struct {
		Intent struct{ Name string } `json:"intent"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &parse); err != nil || parse.Intent.Name != "greet" {
		t.Errorf("shell nlu on hello: %s (%v)", lines[0], err)
	}
}

func TestMoodbotRESTConversation(t *testing.T) {
	bot := copyProject(t, testenv.Shared(t, "data/bots/moodbot"))
	if r := parley(t, bot, "", "train"); r.code != 0 {
		t.Fatalf("train failed: %s", r.stderr)
	}
	url, stop := startServer(t, bot, "run", "--port", "0", "--interface", "127.0.0.1")
	defer stop()
	chat := func(text string) []map[string]any {
		body := fmt.Sprintf(`{"sender": "tester", "message": %q}`, text)
		res, err := http.Post(url+"/webhooks/rest/webhook", "application/json",
			strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		var msgs []map[string]any
		if res.StatusCode != 200 || json.Unmarshal(data, &msgs) != nil {
			t.Fatalf("%q: status %d, body %s", text, res.StatusCode, data)
		}
		return msgs
	}
	greet := chat("hello")
	if len(greet) == 0 || greet[0]["text"] != "Hey! How are you?" {
		t.Errorf("hello: %v", greet)
	}
	sad := chat("I am sad")
	image, _ := sad[min(1, len(sad)-1)]["image"].(string)
	if len(sad) < 2 || sad[0]["text"] != "Here is something to cheer you up:" ||
		sad[0]["image"] != nil || !strings.HasPrefix(image, "https://i.imgur.com/") ||
		sad[1]["text"] != nil || len(sad[1]) != 2 {
		t.Errorf("I am sad: want the cheer-up text and the image as two messages, got %v", sad)
	}
	if len(sad) != 3 || sad[2]["text"] != "Did that help you?" {
		t.Errorf("I am sad: want utter_did_that_help after the cheer-up, got %v", sad)
	}
	if _, err := os.Stat(filepath.Join(bot, ".parley", "parley.db")); err != nil {
		t.Errorf("the conversation database was not created: %v", err)
	}
}

// startServer starts parley with args in dir, waits for its "server is up"
// line and returns the base URL and a function that stops it with SIGTERM
// and checks that it exits cleanly.
func startServer(t *testing.T, dir string, args ...string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	up := regexp.MustCompile(`server is up: (http://[^/ ]+)/`)
	var url string
	var log strings.Builder
	for url == "" && lines.Scan() {
		log.WriteString(lines.Text() + "\n")
		if m := up.FindStringSubmatch(lines.Text()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		cancel()
		cmd.Wait()
		t.Fatalf("parley %v did not start:\n%s", args, log.String())
	}
	go io.Copy(io.Discard, stderr)
	return url, func() {
		defer cancel()
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("parley %v did not stop cleanly on SIGTERM: %v", args, err)
		}
	}
}

func TestRunTrainsInBackgroundWithoutModel(t *testing.T) {
	bot := copyProject(t, testenv.Shared(t, "data/bots/moodbot"))
	url, stop := startServer(t, bot, "run", "--port", "0", "--interface", "127.0.0.1",
		"--enable-api", "--store", "memory")
	defer stop()
	// Until the model is ready, parse answers 409 with a reason; after, 200.
	for {
		res, err := http.Post(url+"/model/parse", "application/json",
			strings.NewReader(`{"text": "hello"}`))
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode == 200 {
			break
		}
		if res.StatusCode != 409 || !strings.Contains(fmt.Sprint(body["message"]), "trained") {
			t.Fatalf("parse before the model is ready: %d %v", res.StatusCode, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	entries, _ := os.ReadDir(filepath.Join(bot, "models"))
	if len(entries) != 1 {
		t.Errorf("background training left %d archives in models/, want 1", len(entries))
	}
}
