package replicas

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// startTimeout bounds how long `parley run` may take to listen.
const startTimeout = time.Minute

// Replica is one `parley run` process.
type Replica struct {
	// Addr is where it listens ("127.0.0.1:port"); a restart keeps it.
	Addr string

	t    testing.TB
	bin  string
	dir  string
	env  []string
	args []string
	cmd  *exec.Cmd
	logs *LogBuffer
	done chan error // the Wait of cmd
}

// StartReplica starts `parley run` in the project folder dir on a free
// loopback port, with env added to the test's environment and args after
// the run flags. It fails the test when the process does not listen
// within a minute, and stops it with SIGTERM when the test ends.
func StartReplica(t testing.TB, bin, dir string, env []string, args ...string) *Replica {
	t.Helper()
	r := &Replica{t: t, bin: bin, dir: dir, env: env, args: args}
	r.start("0")
	t.Cleanup(r.stop)
	return r
}

// start runs the process on port ("0" for a free one) and waits for its
// address.
func (r *Replica) start(port string) {
	r.t.Helper()
	args := append([]string{"run", "--port", port, "--interface", "127.0.0.1"}, r.args...)
	cmd := exec.Command(r.bin, args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), r.env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		r.t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		r.t.Fatalf("starting parley run: %v", err)
	}
	if r.logs == nil {
		r.logs = &LogBuffer{}
	}
	r.cmd, r.done = cmd, make(chan error, 1)
	addr := r.readAddress(stderr)
	go func() { r.done <- cmd.Wait() }()
	r.Addr = addr
}

var upLine = regexp.MustCompile(`Parley server is up: https?://([^/ ]+)/`)

// readAddress reads stderr until the server says where it listens; the
// rest goes to the replica's log buffer.
func (r *Replica) readAddress(stderr io.Reader) string {
	r.t.Helper()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			r.logs.Add(sc.Text())
			if m := upLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		close(found)
	}()
	select {
	case addr, ok := <-found:
		if !ok {
			r.t.Fatalf("parley run exited before listening:\n%s", r.logs)
		}
		return addr
	case <-time.After(startTimeout):
		r.t.Fatalf("parley run did not listen within %v:\n%s", startTimeout, r.logs)
	}
	return ""
}

// Kill ends the process with SIGKILL, as a crash or the OOM killer would,
// and waits for it.
func (r *Replica) Kill() {
	r.t.Helper()
	r.cmd.Process.Kill()
	<-r.done
	r.logs.Add("--- killed with SIGKILL ---")
}

// Restart starts the process again on the same port, as a service manager
// does after a crash.
func (r *Replica) Restart() {
	r.t.Helper()
	_, port, _ := strings.Cut(r.Addr, ":")
	r.start(port)
}

// PID is the process id of the running process.
func (r *Replica) PID() int { return r.cmd.Process.Pid }

// Logs is what the process wrote to stderr, over all its restarts.
func (r *Replica) Logs() *LogBuffer { return r.logs }

// PeakRSS is the process's peak resident memory in bytes (VmHWM), read
// from /proc; 0 where /proc is not there.
func (r *Replica) PeakRSS() int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", r.PID()))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// clockTicks is the unit of the CPU times in /proc/<pid>/stat (USER_HZ,
// 100 on Linux).
const clockTicks = 100

// CPUTime is the CPU time (user and system) the running process has used;
// 0 where /proc is not there.
func (r *Replica) CPUTime() time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", r.PID()))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: count fields
	// after its closing parenthesis. utime and stime are fields 14 and 15.
	i := strings.LastIndexByte(string(data), ')')
	fields := strings.Fields(string(data[i+1:]))
	if len(fields) < 13 {
		return 0
	}
	user, _ := strconv.ParseInt(fields[11], 10, 64)
	sys, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(user+sys) * time.Second / clockTicks
}

// stop sends SIGTERM and wants a clean exit within 20 s.
func (r *Replica) stop() {
	select {
	case <-r.done:
		return // killed and not restarted
	default:
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-r.done:
		if err != nil {
			r.t.Errorf("parley run (%s) after SIGTERM: %v", r.Addr, err)
		}
	case <-time.After(20 * time.Second):
		r.cmd.Process.Kill()
		r.t.Errorf("parley run (%s) did not stop within 20 s of SIGTERM", r.Addr)
	}
	if r.t.Failed() {
		r.t.Logf("parley run (%s) stderr:\n%s", r.Addr, r.logs.Tail(60))
	}
}

// LogBuffer collects the lines of a process's stderr.
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
