package settings

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

// envOf returns a LookupEnv over a map.
func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// load runs Load in a fresh project folder holding files.
func load(t *testing.T, env map[string]string, flags map[string]string,
	files map[string]string) (*Settings, error) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return Load(Input{Dir: dir, Flags: flags, LookupEnv: envOf(env)})
}

func mustLoad(t *testing.T, env, flags, files map[string]string) *Settings {
	t.Helper()
	s, err := load(t, env, flags, files)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func source(t *testing.T, s *Settings, name string) string {
	t.Helper()
	v, ok := s.Lookup(name)
	if !ok {
		t.Fatalf("no setting %s", name)
	}
	return v.Source.String()
}

func TestDevelopmentDefaults(t *testing.T) {
	s := mustLoad(t, nil, nil, nil)
	if s.Mode != Development || s.Production() {
		t.Errorf("mode = %s", s.Mode)
	}
	if s.ShutdownTimeout != 8*time.Second || s.Port != 5005 || s.LogFormat != "text" {
		t.Errorf("defaults: shutdown %s port %d format %s", s.ShutdownTimeout, s.Port, s.LogFormat)
	}
	if filepath.Base(s.DataDir) != ".parley" || !filepath.IsAbs(s.DataDir) {
		t.Errorf("data dir %q, want an absolute .parley", s.DataDir)
	}
	if strings.Join(s.AllowedHosts, ",") != "localhost,127.0.0.1,::1" {
		t.Errorf("allowed hosts %v", s.AllowedHosts)
	}
	if got := source(t, s, "allowed_hosts"); got != "default (development)" {
		t.Errorf("allowed_hosts source %q", got)
	}
	if got := source(t, s, "port"); got != "default" {
		t.Errorf("port source %q", got)
	}
	if !s.MetricsEnabled() {
		t.Error("development serves metrics without a token")
	}
}

func TestProductionDefaults(t *testing.T) {
	s := mustLoad(t, map[string]string{"PARLEY_ENV": "Production"}, nil, nil)
	if !s.Production() || s.LogFormat != "json" || len(s.AllowedHosts) != 0 {
		t.Errorf("production: format %s hosts %v", s.LogFormat, s.AllowedHosts)
	}
	if s.MetricsEnabled() {
		t.Error("production without a metrics token must not serve metrics")
	}
}

func TestPrecedence(t *testing.T) {
	endpoints := "action_endpoint:\n  url: ${ACTIONS_URL}\ntracker_store:\n  type: SQL\n"
	files := map[string]string{"endpoints.yml": endpoints,
		"credentials.yml": "socketio:\nslack:\n  slack_token: x\nrest:\n"}
	env := map[string]string{"PARLEY_PORT": "6000", "PARLEY_INTERFACE": "127.0.0.1",
		"ACTIONS_URL": "http://action-server:5055/webhook"}
	flags := map[string]string{"port": "7000", "debug": "true"}
	s := mustLoad(t, env, flags, files)

	tests := []struct{ name, text, source string }{
		{"port", "7000", "flag --port"},
		{"interface", "127.0.0.1", "env PARLEY_INTERFACE"},
		{"log_level", "debug", "flag --debug"},
		{"action_endpoint", "http://action-server:5055/webhook", "endpoints.yml:1"},
		{"tracker_store", "SQL", "endpoints.yml:3"},
		{"channels", "rest,socketio (ignored: slack)", "credentials.yml"},
		{"idle_timeout", "2m", "default"},
	}
	for _, tt := range tests {
		v, _ := s.Lookup(tt.name)
		if v.Text != tt.text || v.Source.String() != tt.source {
			t.Errorf("%s = %q from %q; want %q from %q", tt.name, v.Text, v.Source,
				tt.text, tt.source)
		}
	}
	if s.Port != 7000 || s.ActionEndpoint != "http://action-server:5055/webhook" {
		t.Errorf("typed fields: port %d action %q", s.Port, s.ActionEndpoint)
	}
	// The environment beats endpoints.yml.
	env["PARLEY_ACTION_ENDPOINT"] = "http://other:5055/webhook"
	s = mustLoad(t, env, flags, files)
	if got := source(t, s, "action_endpoint"); got != "env PARLEY_ACTION_ENDPOINT" {
		t.Errorf("action_endpoint source %q", got)
	}
}

func TestUnsetVariableInEndpoints(t *testing.T) {
	files := map[string]string{"endpoints.yml": "action_endpoint:\n  url: ${MISSING_URL}\n"}
	_, err := load(t, nil, nil, files)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "MISSING_URL") ||
		!strings.Contains(err.Error(), "endpoints.yml:2") {
		t.Errorf("want an error naming the variable and file:line, got %v", err)
	}
}

func TestSecretsFromFiles(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "parley_secret_key")
	key := "k3Jq9vX0pL2mN8rT5wY7zA1bC4dE6fG0h"
	if err := os.WriteFile(keyFile, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PARLEY_SECRET_KEY_FILE": keyFile,
		"PARLEY_AUTH_TOKEN_FILE": "tokens/api"}
	if err := os.MkdirAll(filepath.Join(dir, "tokens"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tokens/api"), []byte("tok-9f8e7d6c5b4a3210"),
		0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Load(Input{Dir: dir, LookupEnv: envOf(env)})
	if err != nil {
		t.Fatal(err)
	}
	if s.SecretKey != key {
		t.Errorf("secret key %q: the trailing newline must be dropped", s.SecretKey)
	}
	if s.AuthToken != "tok-9f8e7d6c5b4a3210" {
		t.Errorf("auth token from a relative file: %q", s.AuthToken)
	}
	want := "file " + keyFile + " (PARLEY_SECRET_KEY_FILE)"
	if got := source(t, s, "secret_key"); got != want {
		t.Errorf("source %q, want %q", got, want)
	}
}

func TestSecretFileErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"missing", map[string]string{"PARLEY_SECRET_KEY_FILE": "/nonexistent/key"},
			"cannot read the secret file /nonexistent/key"},
		{"empty", map[string]string{"PARLEY_SECRET_KEY_FILE": empty}, "is empty"},
		{"both", map[string]string{"PARLEY_SECRET_KEY_FILE": empty, "PARLEY_SECRET_KEY": "x"},
			"both PARLEY_SECRET_KEY and PARLEY_SECRET_KEY_FILE are set"},
	}
	for _, tt := range tests {
		_, err := Load(Input{Dir: dir, LookupEnv: envOf(tt.env)})
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
	denied := func(string) ([]byte, error) { return nil, fs.ErrPermission }
	_, err := Load(Input{Dir: dir, ReadFile: denied,
		LookupEnv: envOf(map[string]string{"PARLEY_SECRET_KEY_FILE": "/run/secrets/key"})})
	if err == nil || !strings.Contains(err.Error(), "chmod 0444") {
		t.Errorf("unreadable secret file: want the permission hint, got %v", err)
	}
}

func TestInvalidValuesAllReported(t *testing.T) {
	env := map[string]string{"PARLEY_ENV": "staging", "PARLEY_PORT": "http",
		"PARLEY_DEBUG": "maybe", "PARLEY_SHUTDOWN_TIMEOUT": "soon", "PARLEY_LOG_LEVEL": "loud",
		"PARLEY_MAX_BODY_BYTES": "-1"}
	_, err := load(t, env, nil, nil)
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(env) {
		t.Errorf("want one line per bad value (%d), got %d:\n%s", len(env), len(lines), err)
	}
	for name := range env {
		if !strings.Contains(err.Error(), "env "+name) {
			t.Errorf("the error does not name %s:\n%s", name, err)
		}
	}
}

func TestCORSGlobExpansion(t *testing.T) {
	flags := map[string]string{"cors": "config.yml,data,domain.yml"}
	_, err := load(t, nil, flags, nil)
	if err == nil || !strings.Contains(err.Error(), "unquoted *") ||
		!strings.Contains(err.Error(), "config.yml, data, domain.yml") {
		t.Errorf("want the glob-expansion hint, got %v", err)
	}
	s := mustLoad(t, nil, map[string]string{"cors": "*,https://chat.example.com"}, nil)
	if len(s.CORS) != 2 {
		t.Errorf("cors %v", s.CORS)
	}
}

func TestFlagsOf(t *testing.T) {
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	fs.Int("port", 5005, "")
	fs.StringSlice("cors", nil, "")
	fs.Bool("debug", false, "")
	fs.String("auth-token", "", "")
	if err := fs.Parse([]string{"--port", "8080", "--cors", "https://a.test",
		"--cors", "https://b.test", "--debug"}); err != nil {
		t.Fatal(err)
	}
	got := FlagsOf(fs)
	want := map[string]string{"port": "8080", "cors": "https://a.test,https://b.test",
		"debug": "true"}
	if len(got) != len(want) {
		t.Errorf("FlagsOf = %v, want %v (unset flags left out)", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("FlagsOf[%s] = %q, want %q", k, got[k], v)
		}
	}
}
