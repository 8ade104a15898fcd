package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runEnv runs the CLI in dir with args and the environment env.
func runEnv(t *testing.T, dir string, env map[string]string, args ...string) output {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Execute(context.Background(), args, Env{Dir: dir, Stdin: strings.NewReader(""),
		Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }})
	return output{code: code, stdout: out.String(), stderr: errOut.String()}
}

// settingLine returns the table line of a setting.
func settingLine(t *testing.T, table, name string) string {
	t.Helper()
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, name+" ") {
			return line
		}
	}
	t.Fatalf("no line for %s in:\n%s", name, table)
	return ""
}

func TestConfigShowsValuesSourcesAndMasks(t *testing.T) {
	dir := writeProject(t, tinyProject)
	key := "f0e1d2c3b4a5968778695a4b3c2d1e0f1a2b3c4d"
	keyFile := filepath.Join(t.TempDir(), "parley_secret_key")
	if err := os.WriteFile(keyFile, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	endpoints := "action_endpoint:\n  url: ${ACTIONS}\n"
	err := os.WriteFile(filepath.Join(dir, "endpoints.yml"), []byte(endpoints), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PARLEY_SECRET_KEY_FILE": keyFile, "PARLEY_PORT": "6000",
		"ACTIONS": "http://action-server:5055/webhook"}
	r := runEnv(t, dir, env, "config", "--auth-token", "tok-abcdef0123456789", "--port", "7000")
	if r.code != 0 {
		t.Fatalf("config: %+v", r)
	}
	t.Logf("parley config:\n%s", r.stdout)
	want := map[string][]string{
		"env":             {"development", "PARLEY_ENV", "default"},
		"secret_key":      {"******** (40 bytes)", "file " + keyFile + " (PARLEY_SECRET_KEY_FILE)"},
		"auth_token":      {"******** (20 bytes)", "flag --auth-token"},
		"port":            {"7000", "flag --port"},
		"action_endpoint": {"http://action-server:5055/webhook", "endpoints.yml:1"},
		"data_dir":        {filepath.Join(dir, ".parley"), "default"},
		"jwt_secret":      {"(not set)"},
	}
	for name, parts := range want {
		line := settingLine(t, r.stdout, name)
		for _, p := range parts {
			if !strings.Contains(line, p) {
				t.Errorf("%s line %q lacks %q", name, line, p)
			}
		}
	}
	if strings.Contains(r.stdout+r.stderr, key) || strings.Contains(r.stdout, "tok-abcdef") {
		t.Error("a secret is printed")
	}
}

func TestConfigProductionCheck(t *testing.T) {
	dir := writeProject(t, tinyProject)
	env := map[string]string{"PARLEY_ENV": "production", "PARLEY_ALLOWED_HOSTS": "*"}
	r := runEnv(t, dir, env, "config", "--enable-api")
	if r.code != 1 {
		t.Fatalf("want exit 1 in production with bad settings: %+v", r)
	}
	for _, want := range []string{"PARLEY_SECRET_KEY: is not set",
		`PARLEY_ALLOWED_HOSTS: contains "*"`,
		"PARLEY_AUTH_TOKEN: the HTTP API is enabled without a token", "fix: "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	env = map[string]string{"PARLEY_ENV": "production", "PARLEY_ALLOWED_HOSTS": "bot.example.org",
		"PARLEY_SECRET_KEY":    "7d1c0b9a8f6e5d4c3b2a19f8e7d6c5b4a3928170",
		"PARLEY_METRICS_TOKEN": "metrics-9a8b7c6d5e"}
	r = runEnv(t, dir, env, "config")
	if r.code != 0 || !strings.Contains(r.stdout, "Production check") ||
		!strings.Contains(r.stdout, "passed.") {
		t.Errorf("valid production: %+v", r)
	}
	r = runEnv(t, dir, env, "config", "--json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || r.code != 0 {
		t.Fatalf("config --json: %v %+v", err, r)
	}
	if r := runEnv(t, dir, nil, "config", "--check"); r.code != 1 {
		t.Errorf("--check in development with no secret key: %+v", r)
	}
	// In development --check reads the settings as production would: the
	// development default hosts do not count.
	devKey := map[string]string{"PARLEY_SECRET_KEY": "7d1c0b9a8f6e5d4c3b2a19f8e7d6c5b4a3928170"}
	if r := runEnv(t, dir, devKey, "config", "--check"); r.code != 1 ||
		!strings.Contains(r.stderr, "PARLEY_ALLOWED_HOSTS: is empty") {
		t.Errorf("--check in development without PARLEY_ALLOWED_HOSTS: %+v", r)
	}
	if r := runEnv(t, dir, nil, "config", "--cors", "data,domain.yml"); r.code != 1 ||
		!strings.Contains(r.stderr, "unquoted *") {
		t.Errorf("--cors expanded by a shell: %+v", r)
	}
}
