package replicas

import (
	"fmt"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/store/postgres"
	"github.com/parley-chat/parley/internal/store/storetest"
	"github.com/parley-chat/parley/internal/testenv/nginxtest"
)

// WebhookPath is the REST channel's webhook.
const WebhookPath = "/webhooks/rest/webhook"

// ticketLifetime is the Redis lock's ticket lifetime of a cluster, in
// seconds: how long a conversation whose lock a killed replica held waits.
const ticketLifetime = "5"

// ClusterConfig says what StartCluster starts.
type ClusterConfig struct {
	// Replicas is the number of `parley run` processes.
	Replicas int
	// RedisLock makes the replicas share a Redis lock store; otherwise each
	// has the in-process one (right for one replica only).
	RedisLock bool
	// Nginx puts NGINX in front of the replicas.
	Nginx bool
}

// Cluster is replicas of the starter bot sharing one PostgreSQL schema,
// perhaps a Redis lock store and NGINX.
type Cluster struct {
	Replicas []*Replica
	// Nginx is nil when the configuration asked for none.
	Nginx       *Nginx
	PostgresURL string
	Schema      string
}

// StartCluster trains the starter bot once and starts the replicas, each
// in its own copy of the project, on a PostgreSQL schema of the test's
// own (and a Redis key prefix of its own), with NGINX in front when asked.
// It skips the test when PostgreSQL, Redis or NGINX is needed and absent.
func StartCluster(t testing.TB, cfg ClusterConfig) *Cluster {
	t.Helper()
	pgURL, schema := storetest.PostgresSchema(t)
	endpoints := fmt.Sprintf("tracker_store:\n  type: SQL\n  dialect: postgresql\n"+
		"  url: %q\n", pgURL)
	if cfg.RedisLock {
		redisURL := storetest.RedisURL(t)
		prefix := strings.TrimSuffix(storetest.KeyPrefix(t, redisURL), ":")
		endpoints += fmt.Sprintf("lock_store:\n  type: redis\n  url: %q\n  key_prefix: %s\n",
			redisURL, prefix)
	}
	if cfg.Nginx {
		nginxtest.Binary(t)
	}
	bin := Binary(t)
	project := NewProject(t, bin, endpoints)
	env := []string{"POSTGRESQL_SCHEMA=" + schema, "TICKET_LOCK_LIFETIME=" + ticketLifetime,
		"PARLEY_SECRET_KEY=replicas-test-secret-key-0123456789abcdef"}
	c := &Cluster{PostgresURL: pgURL, Schema: schema}
	var addrs []string
	for range cfg.Replicas {
		r := StartReplica(t, bin, CopyProject(t, project), env)
		c.Replicas = append(c.Replicas, r)
		addrs = append(addrs, r.Addr)
	}
	if cfg.Nginx {
		c.Nginx = StartNginx(t, addrs...)
	}
	return c
}

// URL is the webhook's URL: through NGINX, or at the first replica.
func (c *Cluster) URL() string {
	if c.Nginx != nil {
		return "http://" + c.Nginx.Addr + WebhookPath
	}
	return "http://" + c.Replicas[0].Addr + WebhookPath
}

// Store opens the cluster's tracker store; the test closes it.
func (c *Cluster) Store(t testing.TB) *postgres.Store {
	t.Helper()
	st, err := postgres.Open(t.Context(), postgres.Config{URL: c.PostgresURL, Schema: c.Schema})
	if err != nil {
		t.Fatalf("opening the replicas' PostgreSQL store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
