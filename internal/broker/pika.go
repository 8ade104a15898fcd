package broker

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/url"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// Defaults of PikaConfig, as Rasa's.
const (
	DefaultExchange = "rasa-exchange"
	DefaultQueue    = "rasa_core_events"
)

// dialTimeout bounds connecting to RabbitMQ.
const dialTimeout = 10 * time.Second

// PikaConfig configures the RabbitMQ broker (Rasa's `type: pika`).
type PikaConfig struct {
	// URL is an amqp:// or amqps:// URL with user, password and vhost.
	URL string
	// Exchange is the fanout exchange the events go to.
	Exchange string
	// Queues are bound to the exchange, each getting every event.
	Queues []string
	// TLS, when set, encrypts the connection.
	TLS *tls.Config
}

// Pika is a Sink for RabbitMQ. It declares the exchange (fanout, as Rasa
// does) and durable queues bound to it, publishes persistent messages and
// waits for the broker's confirms. A broken connection is dialled again on
// the next Send.
type Pika struct {
	cfg  PikaConfig
	mu   sync.Mutex
	conn *amqp.Connection
	ch   *amqp.Channel
}

var _ Sink = (*Pika)(nil)

// DialPika connects to RabbitMQ and declares the exchange and queues, so
// that a wrong address or credentials show at start.
func DialPika(cfg PikaConfig) (*Pika, error) {
	if cfg.Exchange == "" {
		cfg.Exchange = DefaultExchange
	}
	if len(cfg.Queues) == 0 {
		cfg.Queues = []string{DefaultQueue}
	}
	p := &Pika{cfg: cfg}
	if err := p.connect(); err != nil {
		return nil, err
	}
	return p, nil
}

// connect dials, opens a confirming channel and declares the topology.
func (p *Pika) connect() error {
	conn, err := amqp.DialConfig(p.cfg.URL, amqp.Config{TLSClientConfig: p.cfg.TLS,
		Dial: amqp.DefaultDial(dialTimeout)})
	if err != nil {
		return fmt.Errorf("%w: connecting to RabbitMQ at %s: %w", ErrUnavailable,
			redactURL(p.cfg.URL), err)
	}
	ch, err := conn.Channel()
	if err == nil {
		err = ch.Confirm(false)
	}
	if err == nil {
		err = p.declare(ch)
	}
	if err != nil {
		conn.Close()
		return fmt.Errorf("broker: setting up RabbitMQ at %s: %w", redactURL(p.cfg.URL), err)
	}
	p.conn, p.ch = conn, ch
	return nil
}

// declare makes the exchange and the queues bound to it.
func (p *Pika) declare(ch *amqp.Channel) error {
	if err := ch.ExchangeDeclare(p.cfg.Exchange, amqp.ExchangeFanout, false, false, false,
		false, nil); err != nil {
		return fmt.Errorf("declaring exchange %q: %w", p.cfg.Exchange, err)
	}
	for _, queue := range p.cfg.Queues {
		if _, err := ch.QueueDeclare(queue, true, false, false, false, nil); err != nil {
			return fmt.Errorf("declaring queue %q: %w", queue, err)
		}
		if err := ch.QueueBind(queue, "", p.cfg.Exchange, false, nil); err != nil {
			return fmt.Errorf("binding queue %q: %w", queue, err)
		}
	}
	return nil
}

// Send implements Sink.
func (p *Pika) Send(ctx context.Context, msgs []Message) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conn == nil || p.conn.IsClosed() {
		p.reset()
		if err := p.connect(); err != nil {
			return err
		}
	}
	confirms := make([]*amqp.DeferredConfirmation, 0, len(msgs))
	for _, m := range msgs {
		dc, err := p.ch.PublishWithDeferredConfirmWithContext(ctx, p.cfg.Exchange, "", false,
			false, amqp.Publishing{ContentType: "application/json",
				DeliveryMode: amqp.Persistent, Timestamp: time.Now(), Body: m.Body})
		if err != nil {
			p.reset()
			return fmt.Errorf("%w: publishing to RabbitMQ: %w", ErrUnavailable, err)
		}
		confirms = append(confirms, dc)
	}
	for _, dc := range confirms {
		ok, err := dc.WaitContext(ctx)
		if err != nil {
			p.reset()
			return fmt.Errorf("%w: waiting for RabbitMQ's confirm: %w", ErrUnavailable, err)
		}
		if !ok {
			return ErrNotConfirmed
		}
	}
	return nil
}

// reset drops the connection so that the next Send dials again.
func (p *Pika) reset() {
	if p.conn != nil {
		p.conn.Close()
	}
	p.conn, p.ch = nil, nil
}

// Close implements Sink.
func (p *Pika) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conn == nil {
		return nil
	}
	err := p.conn.Close()
	p.conn, p.ch = nil, nil
	return err
}

// redactURL hides the password of a URL for messages.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unreadable URL)"
	}
	return u.Redacted()
}
