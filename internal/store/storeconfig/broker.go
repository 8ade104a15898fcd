package storeconfig

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/parley-chat/parley/internal/broker"
	"github.com/parley-chat/parley/internal/project"
)

// OpenBroker builds the event broker of an event_broker section found at
// pos. An empty section gives nil: no events are published.
func OpenBroker(ctx context.Context, m map[string]any, pos project.Pos,
	opts Options) (broker.Publisher, error) {
	if len(m) == 0 {
		return nil, nil
	}
	opts = opts.withDefaults()
	s := newSection("event_broker", pos, m)
	typ, err := s.str("type", "")
	if err != nil {
		return nil, err
	}
	qcfg := broker.QueueConfig{Name: strings.ToLower(typ), Logger: opts.Logger}
	if qcfg.Size, err = s.integer("queue_size", broker.DefaultQueueSize); err != nil {
		return nil, err
	}
	var sink broker.Sink
	switch qcfg.Name {
	case "pika":
		sink, err = openPika(s)
	case "kafka":
		sink, err = openKafka(ctx, s, opts)
	default:
		return nil, fmt.Errorf("%w: %s: type %q: use pika (RabbitMQ) or kafka", ErrUnknownType,
			s.where(), typ)
	}
	if err != nil {
		return nil, err
	}
	s.value("raise_on_failure") // a turn never fails on the broker; see docs/storage.md
	warnUnknown(opts.Logger, s)
	return broker.NewQueue(sink, qcfg), nil
}

// openPika reads url (a host or an amqp:// URL), port, username,
// password, queues (or queue) and exchange_name, and connects.
func openPika(s *section) (broker.Sink, error) {
	cfg, err := pikaConfig(s)
	if err != nil {
		return nil, err
	}
	p, err := broker.DialPika(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.where(), err)
	}
	return p, nil
}

// pikaConfig reads a `type: pika` section.
func pikaConfig(s *section) (broker.PikaConfig, error) {
	var cfg broker.PikaConfig
	host, err := s.str("url", "localhost")
	if err != nil {
		return cfg, err
	}
	v, err := readLogin(s)
	if err != nil {
		return cfg, err
	}
	port, err := s.integer("port", 5672)
	if err != nil {
		return cfg, err
	}
	u := &url.URL{Scheme: "amqp", Host: net.JoinHostPort(host, strconv.Itoa(port)), Path: "/"}
	if strings.Contains(host, "://") {
		if u, err = url.Parse(host); err != nil {
			return cfg, s.errorf("url", "not a URL: %v", err)
		}
	}
	if v.user != "" {
		u.User = url.UserPassword(v.user, v.password)
	}
	cfg.URL = u.String()
	if cfg.Queues, err = s.list("queues"); err == nil && len(cfg.Queues) == 0 {
		cfg.Queues, err = s.list("queue")
	}
	if err != nil {
		return cfg, err
	}
	cfg.Exchange, err = s.str("exchange_name", broker.DefaultExchange)
	return cfg, err
}

// login is a username and password.
type login struct{ user, password string }

// readLogin reads username and password.
func readLogin(s *section) (login, error) {
	user, err := s.str("username", "")
	if err != nil {
		return login{}, err
	}
	password, err := s.str("password", "")
	return login{user, password}, err
}

// openKafka reads a `type: kafka` section and connects.
func openKafka(ctx context.Context, s *section, opts Options) (broker.Sink, error) {
	var cfg broker.KafkaConfig
	var err error
	if cfg.Brokers, err = s.list("url"); err != nil {
		return nil, err
	}
	if len(cfg.Brokers) == 0 {
		cfg.Brokers = []string{"localhost:9092"}
	}
	if cfg.Topic, err = s.str("topic", broker.DefaultTopic); err != nil {
		return nil, err
	}
	if cfg.ClientID, err = s.str("client_id", ""); err != nil {
		return nil, err
	}
	if cfg.PartitionBySender, err = s.boolean("partition_by_sender", false); err != nil {
		return nil, err
	}
	if err := kafkaSecurity(s, opts, &cfg); err != nil {
		return nil, err
	}
	k, err := broker.DialKafka(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.where(), err)
	}
	return k, nil
}

// kafkaSecurity reads security_protocol with the SASL and SSL keys.
func kafkaSecurity(s *section, opts Options, cfg *broker.KafkaConfig) error {
	proto, err := s.str("security_protocol", "PLAINTEXT")
	if err != nil {
		return err
	}
	proto = strings.ToUpper(proto)
	switch proto {
	case "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL":
	default:
		return s.errorf("security_protocol", "%q: use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL",
			proto)
	}
	if strings.HasPrefix(proto, "SASL_") {
		if cfg.SASLMechanism, err = s.str("sasl_mechanism", broker.SASLPlain); err != nil {
			return err
		}
		if cfg.SASLUsername, err = s.str("sasl_username", ""); err != nil {
			return err
		}
		if cfg.SASLPassword, err = s.str("sasl_password", ""); err != nil {
			return err
		}
	}
	if !strings.HasSuffix(proto, "SSL") {
		return nil
	}
	if cfg.TLS, err = tlsFiles(s, opts.BaseDir, "ssl_cafile", "ssl_certfile",
		"ssl_keyfile"); err != nil {
		return err
	}
	check, err := s.boolean("ssl_check_hostname", true)
	if !check {
		skipHostname(cfg.TLS)
	}
	return err
}

// skipHostname makes cfg check the server's certificate chain but not the
// name in it (ssl_check_hostname: false).
func skipHostname(cfg *tls.Config) {
	cfg.InsecureSkipVerify = true // the chain is still verified below
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("the server sent no certificate")
		}
		inter := x509.NewCertPool()
		for _, c := range cs.PeerCertificates[1:] {
			inter.AddCert(c)
		}
		_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{Roots: cfg.RootCAs,
			Intermediates: inter})
		return err
	}
}
