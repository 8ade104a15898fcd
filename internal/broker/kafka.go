package broker

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// DefaultTopic is the Kafka topic when none is set, as Rasa's.
const DefaultTopic = "rasa_core_events"

// SASL mechanisms KafkaConfig accepts, by Kafka's names.
const (
	SASLPlain       = "PLAIN"
	SASLScramSHA256 = "SCRAM-SHA-256"
	SASLScramSHA512 = "SCRAM-SHA-512"
)

// ErrSASLMechanism is returned for a SASL mechanism Parley does not speak.
var ErrSASLMechanism = errors.New("broker: unknown SASL mechanism")

// KafkaConfig configures the Kafka broker (Rasa's `type: kafka`).
type KafkaConfig struct {
	// Brokers are the bootstrap servers, host:port each.
	Brokers []string
	// Topic is where the events go.
	Topic string
	// ClientID names Parley to the brokers.
	ClientID string
	// PartitionBySender keys each message by its conversation id, so one
	// conversation's events stay in one partition, in order.
	PartitionBySender bool
	// SASLMechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), SASLUsername and
	// SASLPassword log in when the mechanism is set.
	SASLMechanism, SASLUsername, SASLPassword string
	// TLS, when set, encrypts the connections.
	TLS *tls.Config
}

// Kafka is a Sink for Kafka; a produce returns once all in-sync replicas
// have the records.
type Kafka struct {
	client *kgo.Client
	topic  string
	keyed  bool
}

var _ Sink = (*Kafka)(nil)

// DialKafka connects to the brokers and checks that one answers, so that a
// wrong address or credentials show at start.
func DialKafka(ctx context.Context, cfg KafkaConfig) (*Kafka, error) {
	if cfg.Topic == "" {
		cfg.Topic = DefaultTopic
	}
	opts := []kgo.Opt{kgo.SeedBrokers(cfg.Brokers...), kgo.DefaultProduceTopic(cfg.Topic),
		kgo.AllowAutoTopicCreation(), kgo.DialTimeout(dialTimeout),
		kgo.RecordDeliveryTimeout(DefaultSendTimeout)}
	if cfg.ClientID != "" {
		opts = append(opts, kgo.ClientID(cfg.ClientID))
	}
	if cfg.SASLMechanism != "" {
		mech, err := saslMechanism(cfg)
		if err != nil {
			return nil, err
		}
		opts = append(opts, kgo.SASL(mech))
	}
	if cfg.TLS != nil {
		opts = append(opts, kgo.DialTLSConfig(cfg.TLS))
	}
	client, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("broker: Kafka: %w", err)
	}
	if err := client.Ping(ctx); err != nil {
		client.Close()
		return nil, fmt.Errorf("%w: connecting to Kafka at %s: %w", ErrUnavailable,
			strings.Join(cfg.Brokers, ","), err)
	}
	return &Kafka{client: client, topic: cfg.Topic, keyed: cfg.PartitionBySender}, nil
}

// saslMechanism builds the SASL login of cfg.
func saslMechanism(cfg KafkaConfig) (sasl.Mechanism, error) {
	scramAuth := func(context.Context) (scram.Auth, error) {
		return scram.Auth{User: cfg.SASLUsername, Pass: cfg.SASLPassword}, nil
	}
	switch strings.ToUpper(cfg.SASLMechanism) {
	case SASLPlain:
		return plain.Auth{User: cfg.SASLUsername, Pass: cfg.SASLPassword}.AsMechanism(), nil
	case SASLScramSHA256:
		return scram.Sha256(scramAuth), nil
	case SASLScramSHA512:
		return scram.Sha512(scramAuth), nil
	}
	return nil, fmt.Errorf("%w %q: use %s, %s or %s", ErrSASLMechanism, cfg.SASLMechanism,
		SASLPlain, SASLScramSHA256, SASLScramSHA512)
}

// Send implements Sink.
func (k *Kafka) Send(ctx context.Context, msgs []Message) error {
	records := make([]*kgo.Record, len(msgs))
	for i, m := range msgs {
		records[i] = &kgo.Record{Topic: k.topic, Value: m.Body, Timestamp: time.Now()}
		if k.keyed {
			records[i].Key = []byte(m.SenderID)
		}
	}
	if err := k.client.ProduceSync(ctx, records...).FirstErr(); err != nil {
		return fmt.Errorf("%w: producing to Kafka topic %s: %w", ErrUnavailable, k.topic, err)
	}
	return nil
}

// Close implements Sink.
func (k *Kafka) Close() error {
	k.client.Close()
	return nil
}
