// Package nginxtest runs a real NGINX with the repository's
// deploy/nginx.conf in front of servers a test started, changing only the
// port it listens on and the upstream servers.
//
// It is not a _test.go file because the tests of several packages use it.
package nginxtest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/parley-chat/parley/internal/testenv"
	"github.com/parley-chat/parley/internal/testenv/proctest"
)

// The lines of deploy/nginx.conf that a test changes: the port NGINX
// listens on and the upstream server. Everything else is used as shipped.
const (
	listenLine   = "listen 80;"
	upstreamLine = "server parley-server:5005;"
)

// mainConf wraps deploy/nginx.conf as the nginx image's own nginx.conf
// does, with every path in the test's folder, room for a few hundred
// connections, and an access log that names the upstream of each request.
const mainConf = `worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 2048; }
http {
    log_format upstreams '$status $upstream_addr $upstream_status';
    access_log %[1]s/access.log upstreams;
    client_body_temp_path %[1]s/tmp/body;
    proxy_temp_path %[1]s/tmp/proxy;
    fastcgi_temp_path %[1]s/tmp/fastcgi;
    uwsgi_temp_path %[1]s/tmp/uwsgi;
    scgi_temp_path %[1]s/tmp/scgi;
    include %[1]s/parley.conf;
}
`

// errorLogTail is how much of NGINX's error log a failed test shows.
const errorLogTail = 4096

// Nginx is a running NGINX.
type Nginx struct {
	// Addr is where it listens ("127.0.0.1:port").
	Addr string
	dir  string
}

// Start runs NGINX on a free loopback port with deploy/nginx.conf, its
// upstream being the addresses given (round robin, NGINX's default). It
// skips the test, or fails it under CI, when NGINX is not installed, and
// stops NGINX when the test ends.
func Start(t testing.TB, upstreams ...string) *Nginx {
	t.Helper()
	bin := Binary(t)
	dir := workDir(t)
	conf, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "deploy", "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(proctest.FreePort(t))
	site, err := adaptConf(string(conf), addr, upstreams)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "parley.conf"), site)
	writeFile(t, filepath.Join(dir, "nginx.conf"), fmt.Sprintf(mainConf, dir))
	args := []string{"-p", dir, "-e", filepath.Join(dir, "error.log"),
		"-c", filepath.Join(dir, "nginx.conf")}
	if out, err := exec.Command(bin, append(args, "-t")...).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t refuses the configuration: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, append(args, "-g", "daemon off;")...)
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting nginx: %v", err)
	}
	t.Cleanup(func() {
		// SIGTERM is NGINX's fast shutdown: a graceful one (SIGQUIT) waits
		// for keep-alive connections and can take most of a minute.
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Logf("nginx error.log (last %d bytes):\n%s", errorLogTail, tail(log, errorLogTail))
		}
	})
	proctest.WaitListening(t, addr)
	return &Nginx{Addr: addr, dir: dir}
}

// Binary returns the path of the nginx program, or skips the test (fails
// it under CI) when NGINX is not installed.
func Binary(t testing.TB) string {
	t.Helper()
	if bin, err := exec.LookPath("nginx"); err == nil {
		return bin
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx"
	}
	testenv.Missing(t, "nginx is not installed (apt-get install -y nginx)")
	return ""
}

// workDir is a fresh folder that NGINX's workers (nobody, when the test
// runs as root) can use.
func workDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "parley-nginx-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "tmp"), 0o777); err != nil {
		t.Fatal(err)
	}
	return dir
}

// adaptConf sets the listen address and replaces the one upstream server
// with the given ones.
func adaptConf(conf, listen string, upstreams []string) (string, error) {
	for _, line := range []string{listenLine, upstreamLine} {
		if n := strings.Count(conf, line); n != 1 {
			return "", fmt.Errorf("deploy/nginx.conf has %q %d times, want once: update "+
				"internal/testenv/nginxtest with the file", line, n)
		}
	}
	servers := make([]string, len(upstreams))
	for i, u := range upstreams {
		servers[i] = "server " + u + ";"
	}
	conf = strings.Replace(conf, listenLine, "listen "+listen+";", 1)
	return strings.Replace(conf, upstreamLine, strings.Join(servers, "\n    "), 1), nil
}

// writeFile writes body to path.
func writeFile(t testing.TB, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// AccessEntry is one line of the access log.
type AccessEntry struct {
	Status int
	// Upstreams are the servers NGINX tried, in order (more than one when
	// it passed the request on after a failed connection).
	Upstreams []string
}

// AccessLog reads NGINX's access log so far.
func (n *Nginx) AccessLog(t testing.TB) []AccessEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(n.dir, "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []AccessEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		status, rest, _ := strings.Cut(sc.Text(), " ")
		code, err := strconv.Atoi(status)
		if err != nil {
			t.Fatalf("access log line %q: %v", sc.Text(), err)
		}
		e := AccessEntry{Status: code}
		// $upstream_addr separates tries with ", ": the field ends at the
		// first address without a trailing comma.
		for _, f := range strings.Fields(rest) {
			e.Upstreams = append(e.Upstreams, strings.TrimSuffix(f, ","))
			if !strings.HasSuffix(f, ",") {
				break
			}
		}
		out = append(out, e)
	}
	return out
}

// tail returns the last n bytes of b.
func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
