package web

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// envOf returns a getenv over vars.
func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestConfigFromEnv(t *testing.T) {
	key := strings.Repeat("s", 40)
	c, err := ConfigFromEnv(envOf(map[string]string{
		EnvMode: "production", EnvSecretKey: key,
		EnvAllowedHosts:   " chat.example.com, .example.org ,::1",
		EnvTrustedProxies: "10.0.0.0/8, 192.0.2.7", EnvEmbedOrigins: "https://shop.example",
		EnvGreeting: "/greet", EnvTitle: "Helpdesk", EnvSessionIdle: "7d",
	}), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Production || string(c.SecretKey) != key || len(c.AllowedHosts) != 3 ||
		len(c.TrustedProxies) != 2 || c.TrustedProxies[1].String() != "192.0.2.7/32" ||
		c.Greeting != "/greet" || c.Title != "Helpdesk" || c.SessionIdle != 7*24*time.Hour {
		t.Errorf("config: %+v", c)
	}
}

func TestConfigFromEnvErrors(t *testing.T) {
	key := strings.Repeat("s", 40)
	cases := []struct {
		vars map[string]string
		want error
		says string
	}{
		{map[string]string{EnvMode: "production", EnvAllowedHosts: "a.example"}, ErrNoSecretKey,
			"openssl rand"},
		{map[string]string{EnvMode: "production", EnvSecretKey: key}, ErrSetting,
			"PARLEY_ALLOWED_HOSTS"},
		{map[string]string{EnvMode: "production", EnvSecretKey: key, EnvAllowedHosts: "*"},
			ErrSetting, "refused in production"},
		{map[string]string{EnvMode: "staging"}, ErrSetting, "development or production"},
		{map[string]string{EnvSecretKey: "short"}, ErrSetting, "at least 32"},
		{map[string]string{EnvAllowedHosts: "https://a.example/"}, ErrSetting, "without scheme"},
		{map[string]string{EnvTrustedProxies: "10.0.0.0/33"}, ErrSetting, "CIDR"},
		{map[string]string{EnvTrustedProxies: "proxy.local"}, ErrSetting, "not an address"},
		{map[string]string{EnvEmbedOrigins: "https://a.example; script-src *"}, ErrSetting,
			"not an origin"},
		{map[string]string{EnvEmbedOrigins: "javascript:alert(1)"}, ErrSetting, "not an origin"},
		{map[string]string{EnvSessionIdle: "forever"}, ErrSetting, "14d"},
	}
	for _, c := range cases {
		_, err := ConfigFromEnv(envOf(c.vars), t.TempDir(), nil)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%v: %v, want %v saying %q", c.vars, err, c.want, c.says)
		}
	}
}

func TestParseTrustedProxies(t *testing.T) {
	for _, in := range [][]string{nil, {"loopback"}} {
		got, err := ParseTrustedProxies(in)
		if err != nil || len(got) != 2 || got[0].String() != "127.0.0.0/8" {
			t.Errorf("%q: %v %v, want loopback", in, got, err)
		}
	}
	got, err := ParseTrustedProxies([]string{"10.1.2.3/8", "::ffff:192.0.2.1", "2001:db8::/32"})
	want := "[10.0.0.0/8 192.0.2.1/32 2001:db8::/32]"
	if err != nil || fmt.Sprint(got) != want {
		t.Errorf("got %v %v, want %s", got, err, want)
	}
}

// TestDevelopmentSecretKeyKept: without PARLEY_SECRET_KEY a key is made
// once in the data directory, with a log line, and read back afterwards.
func TestDevelopmentSecretKeyKept(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	first, err := ConfigFromEnv(envOf(nil), dir, log)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.SecretKey) < MinSecretKeyLength || !strings.Contains(logs.String(),
		"made a development secret key") {
		t.Fatalf("key %q, log %s", first.SecretKey, logs.String())
	}
	info, err := os.Stat(filepath.Join(dir, SecretKeyFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", info, err)
	}
	logs.Reset()
	second, err := ConfigFromEnv(envOf(nil), dir, log)
	if err != nil || string(second.SecretKey) != string(first.SecretKey) || logs.Len() != 0 {
		t.Fatalf("second start: key changed or logged again: %v %s", err, logs.String())
	}
	os.WriteFile(filepath.Join(dir, SecretKeyFile), []byte("short\n"), 0o600)
	if _, err := ConfigFromEnv(envOf(nil), dir, log); !errors.Is(err, ErrSetting) {
		t.Errorf("short key file: %v", err)
	}
	if c, _ := ConfigFromEnv(envOf(map[string]string{EnvMode: "production",
		EnvAllowedHosts: "a.example"}), t.TempDir(), log); c.SecretKey != nil {
		t.Error("production made a key of its own")
	}
}
