package broker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
)

// fakeKafka starts an in-process Kafka cluster on free ports.
func fakeKafka(t *testing.T, opts ...kfake.Opt) []string {
	t.Helper()
	opts = append(opts, kfake.NumBrokers(1), kfake.SeedTopics(4, "events"))
	cluster, err := kfake.NewCluster(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cluster.Close)
	return cluster.ListenAddrs()
}

// record is a consumed message.
type record struct {
	key, value string
	partition  int32
}

// consumeKafka reads n records of topic from the start.
func consumeKafka(t *testing.T, brokers []string, n int, opts ...kgo.Opt) []record {
	t.Helper()
	opts = append(opts, kgo.SeedBrokers(brokers...), kgo.ConsumeTopics("events"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	client, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var out []record
	for len(out) < n {
		fetches := client.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("got %d of %d records", len(out), n)
		}
		fetches.EachRecord(func(r *kgo.Record) {
			out = append(out, record{string(r.Key), string(r.Value), r.Partition})
		})
	}
	return out
}

// publishAll sends events of several senders through a queue and closes it.
func publishAll(t *testing.T, sink Sink, senders, perSender int) {
	t.Helper()
	q := NewQueue(sink, QueueConfig{Name: "kafka", BatchSize: 16})
	for i := range perSender {
		for s := range senders {
			q.Publish(fmt.Sprint("user-", s), slot(i))
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := q.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestKafkaPartitionBySender expects each conversation in one partition,
// in order, keyed by its id.
func TestKafkaPartitionBySender(t *testing.T) {
	brokers := fakeKafka(t)
	sink, err := DialKafka(t.Context(), KafkaConfig{Brokers: brokers, Topic: "events",
		ClientID: "parley-test", PartitionBySender: true})
	if err != nil {
		t.Fatal(err)
	}
	publishAll(t, sink, 6, 20)
	got := consumeKafka(t, brokers, 120)
	partitions := map[string]map[int32]bool{}
	next := map[string]int{}
	for _, r := range got {
		if !strings.HasPrefix(r.value, `{"sender_id":"`+r.key+`","event":"slot"`) {
			t.Fatalf("record keyed %q holds %s", r.key, r.value)
		}
		if partitions[r.key] == nil {
			partitions[r.key] = map[int32]bool{}
		}
		partitions[r.key][r.partition] = true
		if v := values([]string{r.value})[0]; v != fmt.Sprint(next[r.key]) {
			t.Fatalf("%s: got event %s, want %d", r.key, v, next[r.key])
		}
		next[r.key]++
	}
	used := map[int32]bool{}
	for key, ps := range partitions {
		if len(ps) != 1 {
			t.Fatalf("%s spread over partitions %v", key, ps)
		}
		for p := range ps {
			used[p] = true
		}
	}
	if len(used) < 2 {
		t.Errorf("6 senders all went to one partition of 4: %v", used)
	}
}

func TestKafkaSASL(t *testing.T) {
	brokers := fakeKafka(t, kfake.EnableSASL(), kfake.Superuser("PLAIN", "parley", "s3cret"))
	cfg := KafkaConfig{Brokers: brokers, Topic: "events", SASLMechanism: "plain",
		SASLUsername: "parley", SASLPassword: "s3cret"}
	sink, err := DialKafka(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	publishAll(t, sink, 1, 3)
	login := kgo.SASL(plain.Auth{User: "parley", Pass: "s3cret"}.AsMechanism())
	if got := consumeKafka(t, brokers, 3, login); got[0].key != "" {
		t.Fatalf("unkeyed record has key %q", got[0].key)
	}
	cfg.SASLPassword = "wrong"
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if _, err := DialKafka(ctx, cfg); !errors.Is(err, ErrUnavailable) {
		t.Errorf("DialKafka with a wrong password = %v, want an error", err)
	}
	cfg.SASLMechanism = "GSSAPI"
	if _, err := DialKafka(ctx, cfg); !errors.Is(err, ErrSASLMechanism) {
		t.Errorf("DialKafka with GSSAPI = %v, want ErrSASLMechanism", err)
	}
}

func TestKafkaUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err := DialKafka(ctx, KafkaConfig{Brokers: []string{"127.0.0.1:1"}})
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Fatalf("DialKafka on a closed port = %v, want ErrUnavailable naming it", err)
	}
}
