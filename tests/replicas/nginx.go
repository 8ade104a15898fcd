package replicas

import (
	"testing"

	"github.com/parley-chat/parley/internal/testenv/nginxtest"
)

// Nginx is an NGINX process in front of replicas.
type Nginx = nginxtest.Nginx

// AccessEntry is one line of NGINX's access log.
type AccessEntry = nginxtest.AccessEntry

// StartNginx runs NGINX on a free loopback port with deploy/nginx.conf,
// its upstream being the addresses given (round robin, NGINX's default).
// It is stopped when the test ends.
func StartNginx(t testing.TB, upstreams ...string) *Nginx {
	t.Helper()
	return nginxtest.Start(t, upstreams...)
}
