package storeconfig

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/parley-chat/parley/internal/project"
)

// prefixRe is what a Redis key_prefix may hold.
var prefixRe = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// redisPrefix turns key_prefix into the full prefix of Rasa's layout:
// "<key_prefix>:<kind>:", or "<kind>:" when key_prefix is not set.
func redisPrefix(s *section, kind string) (string, error) {
	p, err := s.str("key_prefix", "")
	if err != nil || p == "" {
		return kind + ":", err
	}
	if !prefixRe.MatchString(p) {
		return "", s.errorf("key_prefix", "%q may hold only letters, digits, _, . and -", p)
	}
	return p + ":" + kind + ":", nil
}

// ParseRedis reads the connection keys of a `type: redis` tracker_store
// section found at pos, and its full key prefix (Rasa's layout:
// "<key_prefix>:tracker:", or "tracker:").
func ParseRedis(m map[string]any, pos project.Pos, baseDir string) (*redis.Options, string,
	error) {
	s := newSection("tracker_store", pos, m)
	opts, err := redisOptions(s, baseDir)
	if err != nil {
		return nil, "", err
	}
	prefix, err := redisPrefix(s, "tracker")
	return opts, prefix, err
}

// redisOptions reads url (a host, or a redis:// or rediss:// URL), port,
// db, username, password, use_ssl with ssl_ca_certs, ssl_certfile and
// ssl_keyfile, and socket_timeout.
func redisOptions(s *section, baseDir string) (*redis.Options, error) {
	host, err := s.str("url", "localhost")
	if err != nil {
		return nil, err
	}
	opts := &redis.Options{}
	if strings.Contains(host, "://") {
		if opts, err = redis.ParseURL(host); err != nil {
			return nil, s.errorf("url", "not a Redis URL: %v", err)
		}
	}
	port, err := s.integer("port", 6379)
	if err != nil {
		return nil, err
	}
	if opts.Addr == "" {
		opts.Addr = net.JoinHostPort(host, strconv.Itoa(port))
	}
	if err := redisLogin(s, opts); err != nil {
		return nil, err
	}
	if err := redisTimeouts(s, opts); err != nil {
		return nil, err
	}
	useSSL, err := s.boolean("use_ssl", false)
	if err != nil || !useSSL {
		return opts, err
	}
	opts.TLSConfig, err = tlsFiles(s, baseDir, "ssl_ca_certs", "ssl_certfile", "ssl_keyfile")
	return opts, err
}

// redisLogin reads db, username and password into opts.
func redisLogin(s *section, opts *redis.Options) error {
	db, err := s.integer("db", opts.DB)
	if err != nil {
		return err
	}
	opts.DB = db
	if opts.Username, err = s.str("username", opts.Username); err != nil {
		return err
	}
	opts.Password, err = s.str("password", opts.Password)
	return err
}

// redisTimeouts reads socket_timeout (seconds) into opts.
func redisTimeouts(s *section, opts *redis.Options) error {
	secs, err := s.seconds("socket_timeout")
	if err != nil || secs <= 0 {
		return err
	}
	d := time.Duration(secs * float64(time.Second))
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = d, d, d
	return nil
}

// tlsFiles builds a TLS configuration from the keys naming a CA file and a
// client certificate and key (each optional), relative to baseDir.
func tlsFiles(s *section, baseDir, caKey, certKey, keyKey string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	ca, err := s.str(caKey, "")
	if err != nil {
		return nil, err
	}
	if ca != "" {
		pem, err := os.ReadFile(resolve(baseDir, ca))
		if err != nil {
			return nil, s.errorf(caKey, "%v", err)
		}
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(pem) {
			return nil, s.errorf(caKey, "%s holds no PEM certificate", ca)
		}
	}
	cert, err := s.str(certKey, "")
	if err != nil {
		return nil, err
	}
	key, err := s.str(keyKey, "")
	if err != nil || cert == "" {
		return cfg, err
	}
	pair, err := tls.LoadX509KeyPair(resolve(baseDir, cert), resolve(baseDir, key))
	if err != nil {
		return nil, s.errorf(certKey, "loading %s and %s: %v", cert, key, err)
	}
	cfg.Certificates = []tls.Certificate{pair}
	return cfg, nil
}

// resolve makes a relative path relative to baseDir.
func resolve(baseDir, path string) string {
	if path == "" || filepath.IsAbs(path) || baseDir == "" {
		return path
	}
	return filepath.Join(baseDir, path)
}

// redisWhere names the server of opts for messages.
func redisWhere(opts *redis.Options) string {
	return fmt.Sprintf("Redis at %s, db %d", opts.Addr, opts.DB)
}
