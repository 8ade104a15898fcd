package storeconfig

import (
	"net/url"
	"strings"
	"testing"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/store/storetest"
)

func TestLockStore(t *testing.T) {
	u := storetest.RedisURL(t)
	prefix := storetest.UniqueName("cfgtest")
	storetest.DeleteKeysWith(t, u, prefix)
	l, kind, err := OpenLockStore(t.Context(), map[string]any{"type": "redis", "url": u,
		"key_prefix": prefix, "socket_timeout": 5}, testPos, Options{
		LookupEnv: env(map[string]string{"TICKET_LOCK_LIFETIME": "30"})})
	if err != nil || kind != LockRedis {
		t.Fatalf("kind %q, error %v", kind, err)
	}
	defer l.Close()
	unlock, err := l.Lock(t.Context(), "c")
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	if _, kind, _ := OpenLockStore(t.Context(), nil, testPos, Options{}); kind != LockInProcess {
		t.Fatalf("no lock_store gives %q, want the in-process store", kind)
	}
}

func TestLockStoreRefusals(t *testing.T) {
	cases := []struct {
		name    string
		section map[string]any
		vars    map[string]string
		want    string
	}{
		{"type", map[string]any{"type": "concurrent_redis"}, nil, "unknown type"},
		{"down", map[string]any{"type": "redis", "url": "127.0.0.1", "port": 1}, nil,
			"unavailable"},
		{"lifetime", map[string]any{"type": "redis"}, map[string]string{
			"TICKET_LOCK_LIFETIME": "-3"}, "TICKET_LOCK_LIFETIME"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := OpenLockStore(t.Context(), c.section, testPos,
				Options{LookupEnv: env(c.vars)})
			if err == nil || !strings.Contains(err.Error(), c.want) ||
				!strings.Contains(err.Error(), "endpoints.yml:4:1 lock_store") {
				t.Fatalf("error %v, want one saying %q at endpoints.yml:4:1", err, c.want)
			}
		})
	}
}

func TestPikaBroker(t *testing.T) {
	u, err := url.Parse(storetest.AMQPURL(t))
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	queue := storetest.UniqueName("parley-test-cfg-")
	exchange := storetest.UniqueName("parley-test-cfgx-")
	b, err := OpenBroker(t.Context(), map[string]any{"type": "pika", "url": u.Hostname(),
		"port": u.Port(), "username": u.User.Username(), "password": pw,
		"queues": []any{queue}, "exchange_name": exchange, "raise_on_failure": true},
		testPos, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b.Publish("c", event.Event{Type: event.Restart, Timestamp: 1})
	if err := b.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if st := b.Stats(); st.Published != 1 {
		t.Fatalf("stats %+v, want 1 published", st)
	}
	deletePika(t, u.String(), exchange, queue)
}

func TestKafkaBroker(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, "t"),
		kfake.EnableSASL(), kfake.Superuser("SCRAM-SHA-256", "u", "p"))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	b, err := OpenBroker(t.Context(), map[string]any{"type": "kafka",
		"url": cluster.ListenAddrs(), "topic": "t", "partition_by_sender": true,
		"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "SCRAM-SHA-256",
		"sasl_username": "u", "sasl_password": "p", "queue_size": 50}, testPos, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b.Publish("c", event.Event{Type: event.Restart, Timestamp: 1})
	if err := b.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if st := b.Stats(); st.Published != 1 {
		t.Fatalf("stats %+v, want 1 published", st)
	}
}

func TestBrokerRefusals(t *testing.T) {
	cases := []struct {
		name    string
		section map[string]any
		want    string
	}{
		{"sql broker", map[string]any{"type": "sql"}, "unknown type"},
		{"pika down", map[string]any{"type": "pika", "url": "127.0.0.1", "port": 1},
			"unavailable"},
		{"kafka down", map[string]any{"type": "kafka", "url": "127.0.0.1:1"}, "unavailable"},
		{"protocol", map[string]any{"type": "kafka", "security_protocol": "SASL"},
			"security_protocol"},
		{"queue_size", map[string]any{"type": "kafka", "queue_size": "big"}, "queue_size"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := OpenBroker(t.Context(), c.section, testPos, Options{})
			if err == nil || b != nil || !strings.Contains(err.Error(), c.want) ||
				!strings.Contains(err.Error(), "endpoints.yml:4:1 event_broker") {
				t.Fatalf("error %v, want one saying %q at endpoints.yml:4:1", err, c.want)
			}
		})
	}
}

// deletePika removes the test's exchange and queue.
func deletePika(t *testing.T, server, exchange, queue string) {
	t.Helper()
	conn, err := amqp.Dial(server)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	ch.QueueDelete(queue, false, false, false)
	ch.ExchangeDelete(exchange, false, false)
}
