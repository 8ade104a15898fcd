package deploytest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/parley-chat/parley/internal/testenv"
	"github.com/parley-chat/parley/internal/testenv/proctest"
)

// bot is a small project: two intents, a response each, the REST and
// socket.io channels.
var bot = map[string]string{
	"config.yml": "recipe: default.v1\nlanguage: en\npipeline:\npolicies:\n",
	"credentials.yml": "rest:\nsocketio:\n  user_message_evt: user_uttered\n" +
		"  bot_message_evt: bot_uttered\n",
	"domain.yml": "version: \"3.1\"\nintents: [greet, goodbye]\nresponses:\n" +
		"  utter_greet:\n  - text: \"Hello from behind NGINX\"\n" +
		"  utter_goodbye:\n  - text: \"Bye\"\n",
	"data/nlu.yml": "version: \"3.1\"\nnlu:\n- intent: greet\n  examples: |\n    - hello\n" +
		"    - hi\n    - good morning\n- intent: goodbye\n  examples: |\n    - bye\n" +
		"    - see you\n    - good night\n",
	"data/stories.yml": "version: \"3.1\"\nstories:\n- story: greet\n  steps:\n" +
		"  - intent: greet\n  - action: utter_greet\n- story: bye\n  steps:\n" +
		"  - intent: goodbye\n  - action: utter_goodbye\n",
}

// The host and origin the tests pretend the site has.
const (
	siteHost   = "chat.example.test"
	siteOrigin = "https://chat.example.test"
)

var (
	buildOnce   sync.Once
	builtBinary string
	buildErr    error
)

// TestMain removes the binary the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if builtBinary != "" {
		os.RemoveAll(filepath.Dir(builtBinary))
	}
	os.Exit(code)
}

// parleyBinary builds cmd/parley once per test run with deploy/build.sh,
// the command CI and the image use.
func parleyBinary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the parley binary; not in -short")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "parley-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBinary = filepath.Join(dir, "parley")
		cmd := exec.Command("sh", filepath.Join(testenv.RepoRoot(t), "deploy", "build.sh"),
			builtBinary)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("deploy/build.sh: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBinary
}

// startParley trains the bot and starts `parley run` on a free loopback
// port; it returns the address. At the end of the test it sends SIGTERM
// and wants a clean exit.
func startParley(t *testing.T, env ...string) string {
	t.Helper()
	dir := trainedProject(t, bot)
	p := launchParley(t, dir, env...)
	t.Cleanup(func() { p.StopTest(t) })
	return p.Addr
}

// trainedProject writes files into a new folder and trains a model there.
func trainedProject(t *testing.T, files map[string]string) string {
	t.Helper()
	bin := parleyBinary(t)
	dir := t.TempDir()
	for name, body := range files {
		write(t, filepath.Join(dir, name), body)
	}
	train := exec.Command(bin, "train")
	train.Dir = dir
	if out, err := train.CombinedOutput(); err != nil {
		t.Fatalf("parley train: %v\n%s", err, out)
	}
	return dir
}

// launchParley starts `parley run` in dir on a free loopback port and
// waits until it listens; stopping it is the caller's.
func launchParley(t *testing.T, dir string, env ...string) *proctest.Process {
	t.Helper()
	cmd := proctest.Command(parleyBinary(t), dir, "0", env, "--cors", siteOrigin)
	return proctest.MustStart(t, cmd, nil)
}

// readBody returns the body of resp.
func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	return string(b)
}
