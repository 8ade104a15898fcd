// Package proctest runs `parley run` as a real process for tests that need
// one (signals, exit codes, several processes on one database, a proxy in
// front): it starts the process, reads from its log where it listens,
// keeps the log for failure messages and stops it.
//
// It is not a _test.go file because the tests of several packages use it.
package proctest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// StartTimeout bounds how long a process may take to log that it listens.
const StartTimeout = 2 * time.Minute

// StopTimeout is how long Stop waits for the process to end after SIGTERM.
const StopTimeout = 20 * time.Second

// logTail is how many lines of a process's log StopTest shows for a
// failed test.
const logTail = 100

// upLine is the line `parley run` logs once it listens; its group is the
// address.
var upLine = regexp.MustCompile(`Parley server is up: https?://([^/ ]+)/`)

// Command returns `bin run` in the folder dir, listening on 127.0.0.1 at
// port ("0" for a free one), with env added to the test's environment and
// args after the run flags.
func Command(bin, dir, port string, env []string, args ...string) *exec.Cmd {
	args = append([]string{"run", "--port", port, "--interface", "127.0.0.1"}, args...)
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// Process is a started server process.
type Process struct {
	// Cmd is the command; its Process is the running process.
	Cmd *exec.Cmd
	// Addr is where the server listens ("127.0.0.1:port"); empty when it
	// did not start.
	Addr string
	// Logs holds the lines the process wrote to stderr.
	Logs *LogBuffer

	exited chan struct{} // closed once Cmd.Wait returned
	err    error         // what Cmd.Wait returned, set before exited closes
	killed atomic.Bool   // Kill ended the process
}

// Start starts cmd, adds each line of its stderr to logs (a new buffer
// when nil) and returns once the server logs where it listens. When the
// process exits first or logs nothing of the kind within StartTimeout,
// the error says so, the process has ended, and the returned Process has
// no Addr but its Logs.
func Start(cmd *exec.Cmd, logs *LogBuffer) (*Process, error) {
	if logs == nil {
		logs = &LogBuffer{}
	}
	p := &Process{Cmd: cmd, Logs: logs, exited: make(chan struct{})}
	stderr, err := cmd.StderrPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		return p, fmt.Errorf("starting %s: %w", p.name(), err)
	}
	found := make(chan string, 1)
	go p.read(stderr, found)
	select {
	case addr, ok := <-found:
		if !ok {
			return p, fmt.Errorf("%s exited before listening (%v)", p.name(), cmd.Wait())
		}
		p.Addr = addr
		go p.wait()
		return p, nil
	case <-time.After(StartTimeout):
		cmd.Process.Kill()
		cmd.Wait()
		return p, fmt.Errorf("%s did not listen within %v", p.name(), StartTimeout)
	}
}

// MustStart is Start for a test: it fails t, showing the process's log,
// when the process does not listen. Stopping it is the caller's (StopTest).
func MustStart(t testing.TB, cmd *exec.Cmd, logs *LogBuffer) *Process {
	t.Helper()
	p, err := Start(cmd, logs)
	if err != nil {
		t.Fatalf("%v:\n%s", err, p.Logs)
	}
	return p
}

// read adds the lines of stderr to the log and sends the first address
// the server logs to found, which it closes at the end of stderr.
func (p *Process) read(stderr io.Reader, found chan<- string) {
	sc := bufio.NewScanner(stderr)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	sent := false
	for sc.Scan() {
		p.Logs.Add(sc.Text())
		if m := upLine.FindStringSubmatch(sc.Text()); m != nil && !sent {
			found <- m[1]
			sent = true
		}
	}
	close(found)
}

// wait records how the process ended.
func (p *Process) wait() {
	p.err = p.Cmd.Wait()
	close(p.exited)
}

// name is the program and its subcommand, such as "parley run".
func (p *Process) name() string {
	name := filepath.Base(p.Cmd.Path)
	if len(p.Cmd.Args) > 1 {
		name += " " + p.Cmd.Args[1]
	}
	return name
}

// Exited is closed once the process has ended.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Kill ends the process with SIGKILL, as a crash or the OOM killer would,
// and waits for it. Stop then has nothing to say about it.
func (p *Process) Kill() {
	p.killed.Store(true)
	p.Cmd.Process.Kill()
	<-p.exited
}

// Wait waits up to timeout for the process to end and returns what
// exec.Cmd.Wait said (nil for exit status 0). Past timeout it kills the
// process and returns an error saying so.
func (p *Process) Wait(timeout time.Duration) error {
	select {
	case <-p.exited:
		return p.err
	case <-time.After(timeout):
		p.Cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("%s did not exit within %v", p.name(), timeout)
	}
}

// Stop sends SIGTERM and waits StopTimeout for the process to end; the
// error is that of Wait. A process that Kill ended gives nil.
func (p *Process) Stop() error {
	select {
	case <-p.exited:
		if p.killed.Load() {
			return nil
		}
	default:
		p.Cmd.Process.Signal(syscall.SIGTERM)
	}
	return p.Wait(StopTimeout)
}

// StopTest stops the process with Stop for the test t, failing t when the
// process did not exit cleanly and in time, and logs the end of its stderr
// when t has failed.
func (p *Process) StopTest(t testing.TB) {
	t.Helper()
	if err := p.Stop(); err != nil {
		t.Errorf("%s (%s) after SIGTERM: %v", p.name(), p.Addr, err)
	}
	if t.Failed() {
		t.Logf("%s (%s) stderr:\n%s", p.name(), p.Addr, p.Logs.Tail(logTail))
	}
}

// LogBuffer collects the lines of a process's stderr; its methods may be
// called from several goroutines.
type LogBuffer struct {
	mu    sync.Mutex
	lines []string
}

// Add appends a line.
func (l *LogBuffer) Add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, s)
}

// Count returns how many lines contain part.
func (l *LogBuffer) Count(part string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if strings.Contains(line, part) {
			n++
		}
	}
	return n
}

// Tail returns the last n lines.
func (l *LogBuffer) Tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	from := max(0, len(l.lines)-n)
	return strings.Join(l.lines[from:], "\n")
}

// String returns every line.
func (l *LogBuffer) String() string { return l.Tail(1 << 30) }

// FreePort returns a loopback port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// WaitListening waits up to 15 s until addr accepts connections, and
// fails t otherwise.
func WaitListening(t testing.TB, addr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing listens on %s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
