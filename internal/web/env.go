package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// SecretKeyFile is the file in the data directory that keeps the
// development secret key made when PARLEY_SECRET_KEY is not set.
const SecretKeyFile = "secret_key"

// The environment variables ConfigFromEnv reads.
const (
	EnvMode           = "PARLEY_ENV"
	EnvSecretKey      = "PARLEY_SECRET_KEY"
	EnvAllowedHosts   = "PARLEY_ALLOWED_HOSTS"
	EnvTrustedProxies = "PARLEY_TRUSTED_PROXIES"
	EnvEmbedOrigins   = "PARLEY_EMBED_ORIGINS"
	EnvGreeting       = "PARLEY_CHAT_GREETING"
	EnvTitle          = "PARLEY_CHAT_TITLE"
	EnvSessionIdle    = "PARLEY_SESSION_IDLE"
)

// ConfigFromEnv reads the web settings from the environment:
// PARLEY_ENV (development or production), PARLEY_SECRET_KEY,
// PARLEY_ALLOWED_HOSTS and PARLEY_EMBED_ORIGINS (comma separated),
// PARLEY_TRUSTED_PROXIES (comma separated CIDRs or addresses, or
// "loopback"),
// PARLEY_CHAT_GREETING, PARLEY_CHAT_TITLE and PARLEY_SESSION_IDLE ("14d",
// "36h"). In development without a secret key it keeps one in
// dataDir/secret_key, made on first use, so sessions survive restarts; with
// no dataDir the key lasts until the process ends. The caller sets DB, Train
// and ResultsDir.
func ConfigFromEnv(getenv func(string) string, dataDir string, log *slog.Logger) (Config, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var c Config
	switch mode := strings.TrimSpace(getenv(EnvMode)); mode {
	case "", "development":
	case "production":
		c.Production = true
	default:
		return c, fmt.Errorf("%w: %s=%q: use development or production", ErrSetting, EnvMode, mode)
	}
	c.AllowedHosts = splitList(getenv(EnvAllowedHosts))
	c.EmbedOrigins = splitList(getenv(EnvEmbedOrigins))
	c.Greeting = strings.TrimSpace(getenv(EnvGreeting))
	c.Title = strings.TrimSpace(getenv(EnvTitle))
	var err error
	c.TrustedProxies, err = ParseTrustedProxies(splitList(getenv(EnvTrustedProxies)))
	if err != nil {
		return c, err
	}
	if c.SessionIdle, err = ParseSessionIdle(getenv(EnvSessionIdle)); err != nil {
		return c, err
	}
	if key := getenv(EnvSecretKey); key != "" {
		c.SecretKey = []byte(key)
	} else if !c.Production && dataDir != "" {
		if c.SecretKey, err = DevSecretKey(dataDir, log); err != nil {
			return c, err
		}
	}
	return c, c.Check()
}

// splitList splits a comma separated setting, dropping blanks.
func splitList(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// ParseTrustedProxies reads the entries of PARLEY_TRUSTED_PROXIES: CIDR
// ranges or addresses; none, or "loopback", means the loopback ranges.
func ParseTrustedProxies(parts []string) ([]netip.Prefix, error) {
	if len(parts) == 0 || len(parts) == 1 && parts[0] == "loopback" {
		return loopback(), nil
	}
	out := []netip.Prefix{}
	for _, p := range parts {
		if strings.Contains(p, "/") {
			pre, err := netip.ParsePrefix(p)
			if err != nil {
				return nil, fmt.Errorf("%w: %s entry %q is not a CIDR range (like 10.0.0.0/8): %v",
					ErrSetting, EnvTrustedProxies, p, err)
			}
			out = append(out, pre.Masked())
			continue
		}
		addr, err := netip.ParseAddr(p)
		if err != nil {
			return nil, fmt.Errorf("%w: %s entry %q is not an address or CIDR range: %v",
				ErrSetting, EnvTrustedProxies, p, err)
		}
		out = append(out, netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen()))
	}
	return out, nil
}

// ParseSessionIdle reads PARLEY_SESSION_IDLE: a Go duration or a number
// of days ("14d"); empty means the default.
func ParseSessionIdle(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultSessionIdle, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n > 0 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Minute {
		return 0, fmt.Errorf("%w: %s=%q: write days like 14d or a duration like 36h "+
			"(at least 1m)", ErrSetting, EnvSessionIdle, s)
	}
	return d, nil
}

// DevSecretKey reads the development secret key in dataDir/secret_key,
// making it first (with a log line) when missing, so that browser sessions
// survive restarts without PARLEY_SECRET_KEY.
func DevSecretKey(dataDir string, log *slog.Logger) ([]byte, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	path := filepath.Join(dataDir, SecretKeyFile)
	key, err := os.ReadFile(path)
	if err == nil {
		key = []byte(strings.TrimSpace(string(key)))
		if len(key) < MinSecretKeyLength {
			return nil, fmt.Errorf("%w: %s holds a key shorter than %d bytes: delete it to "+
				"make a new one", ErrSetting, path, MinSecretKeyLength)
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("reading the secret key: %w", err)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("making a secret key: %w", err)
	}
	key = []byte(hex.EncodeToString(b[:]))
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("making the data directory for the secret key: %w", err)
	}
	if err := os.WriteFile(path, append(key, '\n'), 0o600); err != nil {
		return nil, fmt.Errorf("saving the secret key: %w", err)
	}
	log.Info("PARLEY_SECRET_KEY is not set: made a development secret key so that browser "+
		"sessions survive restarts; set PARLEY_SECRET_KEY in production", "file", path)
	return key, nil
}
