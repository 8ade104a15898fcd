package replicas

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/testenv/proctest"
)

// Replica is one `parley run` process.
type Replica struct {
	// Addr is where it listens ("127.0.0.1:port"); a restart keeps it.
	Addr string

	t    testing.TB
	bin  string
	dir  string
	env  []string
	args []string
	proc *proctest.Process
	logs *proctest.LogBuffer
}

// StartReplica starts `parley run` in the project folder dir on a free
// loopback port, with env added to the test's environment and args after
// the run flags. It fails the test when the process does not listen in
// time, and stops it with SIGTERM when the test ends.
func StartReplica(t testing.TB, bin, dir string, env []string, args ...string) *Replica {
	t.Helper()
	r := &Replica{t: t, bin: bin, dir: dir, env: env, args: args, logs: &proctest.LogBuffer{}}
	r.start("0")
	t.Cleanup(func() { r.proc.StopTest(t) })
	return r
}

// start runs the process on port ("0" for a free one) and waits for its
// address.
func (r *Replica) start(port string) {
	r.t.Helper()
	cmd := proctest.Command(r.bin, r.dir, port, r.env, r.args...)
	r.proc = proctest.MustStart(r.t, cmd, r.logs)
	r.Addr = r.proc.Addr
}

// Kill ends the process with SIGKILL, as a crash or the OOM killer would,
// and waits for it.
func (r *Replica) Kill() {
	r.t.Helper()
	r.proc.Kill()
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
func (r *Replica) PID() int { return r.proc.Cmd.Process.Pid }

// Logs is what the process wrote to stderr, over all its restarts.
func (r *Replica) Logs() *proctest.LogBuffer { return r.logs }

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
