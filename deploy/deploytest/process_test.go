package deploytest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/store/storetest"
	"github.com/parley-chat/parley/internal/testenv/proctest"
)

// holdingBot is bot whose greeting first runs the custom action
// action_hold; endpoints.yml names an action server that is not there, so
// the action reaches the test's server only through PARLEY_ACTION_ENDPOINT.
func holdingBot() map[string]string {
	files := map[string]string{}
	for k, v := range bot {
		files[k] = v
	}
	files["domain.yml"] = strings.Replace(bot["domain.yml"], "responses:",
		"actions: [action_hold]\nresponses:", 1)
	files["data/stories.yml"] = strings.Replace(bot["data/stories.yml"],
		"  - action: utter_greet", "  - action: action_hold\n  - action: utter_greet", 1)
	files["endpoints.yml"] = "action_endpoint:\n  url: http://127.0.0.1:9/webhook\n"
	return files
}

// TestSIGTERMDuringHeldTurn sends SIGTERM to a `parley run` process while
// a turn waits on the action server, then lets the action answer: the
// turn completes, the client gets the whole answer, the process exits 0
// and every event of the turn is in the database.
func TestSIGTERMDuringHeldTurn(t *testing.T) {
	entered, release := make(chan struct{}, 1), make(chan struct{})
	actions := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"events": [], "responses": [{"text": "held"}]}`)
	}))
	defer actions.Close()
	var once sync.Once
	defer once.Do(func() { close(release) })
	dir := trainedProject(t, holdingBot())
	p := launchParley(t, dir, "PARLEY_ACTION_ENDPOINT="+actions.URL+"/webhook")
	answered := make(chan string, 1)
	go func() {
		resp, err := http.Post("http://"+p.Addr+"/webhooks/rest/webhook", "application/json",
			strings.NewReader(`{"sender": "held-1", "message": "hello"}`))
		if err != nil {
			answered <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		answered <- resp.Status + " " + string(b)
	}()
	select {
	case <-entered:
	case a := <-answered:
		p.Kill()
		t.Fatalf("the turn ended before the action ran: %s\n%s", a, p.Logs)
	case <-time.After(time.Minute):
		p.Kill()
		t.Fatalf("the action server was never called:\n%s", p.Logs)
	}
	if err := p.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100 && !strings.Contains(p.Logs.String(), "shutting down"); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(p.Logs.String(), "shutting down") {
		t.Errorf("no \"shutting down\" in the log 2 s after SIGTERM:\n%s", p.Logs)
	}
	once.Do(func() { close(release) })
	a := <-answered
	if !strings.HasPrefix(a, "200 ") || !strings.Contains(a, "held") ||
		!strings.Contains(a, "Hello from behind NGINX") {
		t.Errorf("the turn in flight answered %s", a)
	}
	waitExit(t, p)
	storetest.WantStored(t, filepath.Join(dir, ".parley"), "held-1",
		"user:hello", "action:action_hold", "bot:held", "action:utter_greet")
}

// waitExit wants p to exit 0 within proctest.StopTimeout.
func waitExit(t *testing.T, p *proctest.Process) {
	t.Helper()
	if err := p.Wait(proctest.StopTimeout); err != nil {
		t.Errorf("parley run after SIGTERM: %v:\n%s", err, p.Logs)
	}
}

// TestTwoProcessesStartOnOneNewDatabase starts two `parley run` processes
// at once on one project whose data directory does not exist yet: both
// create and migrate the same SQLite database, so the migration lock is
// what keeps them apart. Both must come up and answer, and the second
// must warn that SQLite is for one process.
func TestTwoProcessesStartOnOneNewDatabase(t *testing.T) {
	dir := trainedProject(t, bot)
	procs := make([]*proctest.Process, 2)
	var wg sync.WaitGroup
	for i := range procs {
		wg.Go(func() { procs[i] = launchParleyQuiet(dir) })
	}
	wg.Wait()
	for _, p := range procs {
		if p.Addr != "" {
			t.Cleanup(func() { p.StopTest(t) })
		}
	}
	warned := 0
	for i, p := range procs {
		if p.Addr == "" {
			t.Fatalf("process %d did not start:\n%s", i, p.Logs)
		}
		if strings.Contains(p.Logs.String(), "SQLite is for one process") {
			warned++
		}
		id := "two-" + string(rune('a'+i))
		resp, err := http.Post("http://"+p.Addr+"/webhooks/rest/webhook", "application/json",
			strings.NewReader(`{"sender": "`+id+`", "message": "hello"}`))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), "Hello from behind NGINX") {
			t.Errorf("process %d answered %d %s", i, resp.StatusCode, body)
		}
	}
	if warned != 1 {
		t.Errorf("%d of the two processes warned about sharing SQLite, want 1", warned)
	}
	for i := range procs {
		storetest.WantStored(t, filepath.Join(dir, ".parley"), "two-"+string(rune('a'+i)),
			"user:hello", "action:utter_greet")
	}
}

// launchParleyQuiet is launchParley for a goroutine: a process that does
// not come up has an empty Addr, and its log says why.
func launchParleyQuiet(dir string) *proctest.Process {
	p, err := proctest.Start(proctest.Command(builtBinary, dir, "0", nil), nil)
	if err != nil {
		p.Logs.Add(err.Error())
	}
	return p
}
