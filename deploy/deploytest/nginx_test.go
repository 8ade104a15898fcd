package deploytest

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/testenv"
)

// The lines of deploy/nginx.conf that a test run changes: the port NGINX
// listens on and the address of Parley. Nothing else is touched.
const (
	listenLine   = "listen 80;"
	upstreamLine = "server parley-server:5005;"
)

// mainConf wraps the repository's server block the way the nginx image's
// own nginx.conf does, with every path inside the test's folder.
const mainConf = `worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log info;
events { worker_connections 128; }
http {
    access_log %[1]s/access.log;
    client_body_temp_path %[1]s/tmp/body;
    proxy_temp_path %[1]s/tmp/proxy;
    fastcgi_temp_path %[1]s/tmp/fastcgi;
    uwsgi_temp_path %[1]s/tmp/uwsgi;
    scgi_temp_path %[1]s/tmp/scgi;
    include %[1]s/parley.conf;
}
`

// startNginx runs NGINX on loopback with deploy/nginx.conf, sending to
// upstream ("127.0.0.1:port"), and returns its address. It is stopped when
// the test ends.
func startNginx(t *testing.T, upstream string) string {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		bin = "/usr/sbin/nginx"
		if _, err := os.Stat(bin); err != nil {
			testenv.Missing(t, "nginx is not installed (apt-get install -y nginx)")
		}
	}
	dir := worldReadableDir(t)
	addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	conf := adaptConf(t, readRepo(t, "deploy/nginx.conf"), addr, upstream)
	write(t, filepath.Join(dir, "parley.conf"), conf)
	write(t, filepath.Join(dir, "nginx.conf"), fmt.Sprintf(mainConf, dir))
	args := []string{"-p", dir, "-e", filepath.Join(dir, "error.log"),
		"-c", filepath.Join(dir, "nginx.conf")}
	if out, err := exec.Command(bin, append(args, "-t")...).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t refuses the configuration: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, append(args, "-g", "daemon off;")...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGQUIT)
		cmd.Wait()
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Logf("nginx error.log:\n%s", log)
		}
	})
	waitListening(t, addr)
	return addr
}

// adaptConf changes only the listen port and the upstream address.
func adaptConf(t *testing.T, conf, listen, upstream string) string {
	t.Helper()
	for _, line := range []string{listenLine, upstreamLine} {
		if n := strings.Count(conf, line); n != 1 {
			t.Fatalf("deploy/nginx.conf has %q %d times, want once: update the test's "+
				"adaptation with the file", line, n)
		}
	}
	conf = strings.Replace(conf, listenLine, "listen "+listen+";", 1)
	return strings.Replace(conf, upstreamLine, "server "+upstream+";", 1)
}

// worldReadableDir is a fresh folder NGINX's workers (nobody, when the
// test runs as root) can use.
func worldReadableDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "nginx-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o777); err != nil {
		t.Fatal(err)
	}
	return dir
}

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitListening waits until addr accepts connections.
func waitListening(t *testing.T, addr string) {
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

// wsKey is a client's Sec-WebSocket-Key (16 bytes, base64); wsAccept the answer
// it expects.
const wsKey = "dGhlIHNhbXBsZSBub25jZQ=="

func wsAccept(key string) string {
	h := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return base64.StdEncoding.EncodeToString(h[:])
}

// upgrade opens a websocket through addr at path and returns the
// handshake's response and the connection after it.
func upgrade(t *testing.T, addr, path, host string) (*http.Response, net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
	req.Host = host
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Key", wsKey)
	req.Header.Set("Sec-WebSocket-Version", "13")
	if err := req.Write(conn); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		t.Fatalf("websocket handshake through nginx: %v", err)
	}
	return resp, conn, br
}
