package cli

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/actionclient"
	"github.com/parley-chat/parley/sdk"
)

func helloRegistry() *sdk.Registry {
	reg := sdk.NewRegistry()
	reg.MustRegister(sdk.NewAction("action_hello", func(context.Context, *sdk.Dispatcher,
		*sdk.Tracker, sdk.Domain) ([]sdk.Event, error) {
		return nil, nil
	}))
	return reg
}

// TestRunActionsServes starts `run actions --port 0` in a binary that
// registers an action, calls /health and /actions, and stops it.
func TestRunActionsServes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	env := Env{Dir: t.TempDir(), Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: pw,
		Getenv: func(string) string { return "" }, Actions: helloRegistry()}
	code := make(chan int, 1)
	go func() {
		code <- Execute(ctx, []string{"run", "actions", "--port", "0", "-i", "127.0.0.1"}, env)
		pw.Close()
	}()
	up := regexp.MustCompile(`Action server is up: (http://localhost:\d+)/webhook serves 1 actions`)
	var base string
	sc := bufio.NewScanner(pr)
	for base == "" && sc.Scan() {
		if m := up.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if base == "" {
		t.Fatalf("no start line; exit %d", <-code)
	}
	for path, want := range map[string]string{"/health": `{"status":"ok"}`,
		"/actions": `[{"name":"action_hello"}]`} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != want {
			t.Errorf("%s: %s, want %s", path, body, want)
		}
	}
	cancel()
	if c := <-code; c != 0 {
		t.Errorf("exit %d after stopping", c)
	}
}

// TestRunActionsRefusesPythonFlags: --actions names a Python module.
func TestRunActionsRefusesPythonFlags(t *testing.T) {
	var stderr strings.Builder
	env := Env{Dir: t.TempDir(), Stdin: strings.NewReader(""), Stdout: io.Discard,
		Stderr: &stderr, Actions: helloRegistry()}
	if c := Execute(context.Background(), []string{"run", "actions", "--actions", "actions"},
		env); c != 1 || !strings.Contains(stderr.String(), "compiled into the binary") {
		t.Errorf("exit %d: %s", c, stderr.String())
	}
}

// TestCustomActions reads action_endpoint and nlg from endpoints.yml.
func TestCustomActions(t *testing.T) {
	cases := []struct {
		name, endpoints string
		wantErr         bool
		wantURL         string
		wantNLG         bool
	}{
		{"no file", "", false, "", false},
		{"action server and nlg", "action_endpoint:\n  url: http://actions:5055/webhook\n" +
			"  timeout: 3\nnlg:\n  url: http://nlg:5056/nlg\n", false,
			"http://actions:5055/webhook", true},
		{"bad url", "action_endpoint:\n  url: actions:5055\n", true, "", false},
		{"nlg without url", "nlg:\n  token: x\n", true, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{}
			if c.endpoints != "" {
				files["endpoints.yml"] = c.endpoints
			}
			a := &app{env: Env{Dir: writeProject(t, files), Stderr: io.Discard,
				Getenv: func(string) string { return "" }, Actions: helloRegistry()}}
			if err := a.setup(a.rootCommand(), nil); err != nil {
				t.Fatal(err)
			}
			got, err := a.customActions(&projectFlags{endpoints: "endpoints.yml"})
			if (err != nil) != c.wantErr {
				t.Fatalf("error %v, want an error: %v", err, c.wantErr)
			}
			if err != nil {
				return
			}
			st := actionclient.StatusOf(got.Runner)
			if st == nil || st.URL != c.wantURL || len(st.InProcess) != 1 {
				t.Errorf("status %+v", st)
			}
			if (got.NLG != nil) != c.wantNLG {
				t.Errorf("NLG %v, want one: %v", got.NLG, c.wantNLG)
			}
		})
	}
}
