package proctest

import (
	"os/exec"
	"strings"
	"testing"
)

// server is a shell script that logs the line `parley run` logs once it
// listens, then waits; SIGTERM makes it exit 0.
const server = `trap 'echo stopping >&2; exit 0' TERM
echo starting >&2
echo "Parley server is up: http://127.0.0.1:4321/ (Ctrl-C to stop)" >&2
while :; do sleep 0.05; done`

func shell(t *testing.T, script string) *exec.Cmd {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on this machine")
	}
	return exec.Command(sh, "-c", script)
}

func TestStartReadsAddressAndStopIsClean(t *testing.T) {
	p, err := Start(shell(t, server), nil)
	if err != nil {
		t.Fatalf("Start: %v\n%s", err, p.Logs)
	}
	if p.Addr != "127.0.0.1:4321" {
		t.Errorf("Addr %q, want 127.0.0.1:4321", p.Addr)
	}
	if err := p.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if n := p.Logs.Count("starting"); n != 1 {
		t.Errorf("%d lines hold \"starting\", want 1:\n%s", n, p.Logs)
	}
}

func TestStartReportsExitBeforeListening(t *testing.T) {
	p, err := Start(shell(t, "echo cannot open the database >&2; exit 3"), nil)
	if err == nil || !strings.Contains(err.Error(), "exited before listening") ||
		!strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("error %v, want one saying the process exited with status 3", err)
	}
	if p.Addr != "" || !strings.Contains(p.Logs.String(), "cannot open the database") {
		t.Errorf("Addr %q, log %q", p.Addr, p.Logs)
	}
}

func TestStopAfterKillAndUncleanExit(t *testing.T) {
	p, err := Start(shell(t, server), nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Kill()
	if err := p.Stop(); err != nil {
		t.Errorf("Stop after Kill: %v, want nil", err)
	}
	crashing := strings.Replace(server, "exit 0", "exit 2", 1)
	p, err = Start(shell(t, crashing), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Stop(); err == nil || !strings.Contains(err.Error(), "exit status 2") {
		t.Errorf("Stop of a process exiting 2: %v", err)
	}
}

func TestLogBufferTail(t *testing.T) {
	var l LogBuffer
	for _, s := range []string{"a", "b", "c"} {
		l.Add(s)
	}
	if got := l.Tail(2); got != "b\nc" {
		t.Errorf("Tail(2) = %q", got)
	}
	if got := l.String(); got != "a\nb\nc" {
		t.Errorf("String() = %q", got)
	}
}
