package broker

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/parley-chat/parley/internal/store/storetest"
)

// amqpChannel opens a channel of its own on the test server and deletes the
// test's exchange and queues when the test ends.
func amqpChannel(t *testing.T, server, exchange string, queues []string) *amqp.Channel {
	t.Helper()
	conn, err := amqp.Dial(server)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, q := range queues {
			ch.QueueDelete(q, false, false, false)
		}
		ch.ExchangeDelete(exchange, false, false)
		conn.Close()
	})
	return ch
}

// consume reads n messages from queue.
func consume(t *testing.T, ch *amqp.Channel, queue string, n int) []string {
	t.Helper()
	deliveries, err := ch.Consume(queue, "", true, false, false, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for len(out) < n {
		select {
		case d := <-deliveries:
			if d.ContentType != "application/json" || d.DeliveryMode != amqp.Persistent {
				t.Errorf("message properties: %q, mode %d", d.ContentType, d.DeliveryMode)
			}
			out = append(out, string(d.Body))
		case <-t.Context().Done():
			t.Fatalf("got %d of %d messages from %s", len(out), n, queue)
		}
	}
	return out
}

func TestPika(t *testing.T) {
	server := storetest.AMQPURL(t)
	exchange := storetest.UniqueName("parley-test-exchange-")
	queues := []string{storetest.UniqueName("parley-test-a-"),
		storetest.UniqueName("parley-test-b-")}
	ch := amqpChannel(t, server, exchange, queues)
	sink, err := DialPika(PikaConfig{URL: server, Exchange: exchange, Queues: queues})
	if err != nil {
		t.Fatal(err)
	}
	q := NewQueue(sink, QueueConfig{Name: "pika", BatchSize: 4})
	for i := range 10 {
		q.Publish("user-1", slot(i))
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := q.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for _, queue := range queues { // the fanout exchange gives every queue all events
		got := consume(t, ch, queue, 10)
		if !slices.Equal(values(got), numbers(0, 9)) {
			t.Fatalf("queue %s got %v", queue, got)
		}
		want := `{"sender_id":"user-1","event":"slot","timestamp":1700000000.0,"name":"n",` +
			`"value":"0"}`
		if got[0] != want {
			t.Fatalf("first message %s, want %s", got[0], want)
		}
	}
}

// TestPikaReconnects breaks the connection under the sink: the next Send
// dials again.
func TestPikaReconnects(t *testing.T) {
	server := storetest.AMQPURL(t)
	exchange := storetest.UniqueName("parley-test-exchange-")
	queue := storetest.UniqueName("parley-test-q-")
	ch := amqpChannel(t, server, exchange, []string{queue})
	sink, err := DialPika(PikaConfig{URL: server, Exchange: exchange, Queues: []string{queue}})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	sink.conn.Close()
	m, _ := Encode("c", slot(7))
	if err := sink.Send(t.Context(), []Message{m}); err != nil {
		t.Fatalf("Send after the connection broke: %v", err)
	}
	if got := consume(t, ch, queue, 1); values(got)[0] != "7" {
		t.Fatalf("got %v", got)
	}
}

func TestPikaRefusals(t *testing.T) {
	_, err := DialPika(PikaConfig{URL: "amqp://guest:guest@127.0.0.1:1/"})
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("DialPika on a closed port = %v, want ErrUnavailable naming the address", err)
	}
	u, err := url.Parse(storetest.AMQPURL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword("parley_nobody", "wrong")
	_, err = DialPika(PikaConfig{URL: u.String()})
	if err == nil || strings.Contains(err.Error(), "wrong") {
		t.Errorf("DialPika with bad credentials = %v, want an error without the password", err)
	}
}
