package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"testing"
)

// goodProduction is a production environment that passes every check.
var goodProduction = map[string]string{
	"PARLEY_ENV":           "production",
	"PARLEY_SECRET_KEY":    "9c1f4e7a2b8d3f6e0a5c9b2d7e4f1a8c3b6d9e2f5a8c1b4d",
	"PARLEY_ALLOWED_HOSTS": "chat.example.org,.bots.example.org",
	"PARLEY_ENABLE_API":    "true",
	"PARLEY_AUTH_TOKEN":    "3e9a7c1d5f2b8e4a6c0d",
	"PARLEY_METRICS_TOKEN": "m-7f3a9c2e5b1d8f4a",
}

// with returns goodProduction changed by kv (an empty value unsets).
func with(kv ...string) map[string]string {
	env := maps.Clone(goodProduction)
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(env, kv[i])
			continue
		}
		env[kv[i]] = kv[i+1]
	}
	return env
}

func TestValidProductionPasses(t *testing.T) {
	s := mustLoad(t, goodProduction, nil, nil)
	if err := s.CheckProduction(); err != nil {
		t.Fatalf("a valid production configuration was refused:\n%v", err)
	}
	if w := s.Warnings(); len(w) != 0 {
		t.Errorf("unexpected warnings: %v", w)
	}
	if !s.MetricsEnabled() {
		t.Error("metrics with a token should be on")
	}
}

func TestEachProductionRefusal(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		flag string // the variable the one problem names
		why  string
	}{
		{"no secret key", with("PARLEY_SECRET_KEY", ""), "PARLEY_SECRET_KEY", "is not set"},
		{"short secret key", with("PARLEY_SECRET_KEY", "k9x2v7q4"), "PARLEY_SECRET_KEY",
			"is 8 bytes, shorter than 32"},
		{"changeme", with("PARLEY_SECRET_KEY", "changeme-changeme-changeme-changeme!"),
			"PARLEY_SECRET_KEY", `contains "changeme"`},
		{"django insecure", with("PARLEY_SECRET_KEY",
			"django-insecure-q8&w!z0^t3l#m6r*9p@e1k+y5u$v2b7n4c"), "PARLEY_SECRET_KEY",
			"django-insecure-"},
		{"secret repeated", with("PARLEY_SECRET_KEY", strings.Repeat("s3cr3t", 6)),
			"PARLEY_SECRET_KEY", "fewer than 8 different characters"},
		{"pattern repeated", with("PARLEY_SECRET_KEY", strings.Repeat("a1b2c3d4", 5)),
			"PARLEY_SECRET_KEY", "repeats the same short pattern"},
		{"no allowed hosts", with("PARLEY_ALLOWED_HOSTS", ""), "PARLEY_ALLOWED_HOSTS", "is empty"},
		{"star host", with("PARLEY_ALLOWED_HOSTS", "*"), "PARLEY_ALLOWED_HOSTS", `contains "*"`},
		{"star subdomains", with("PARLEY_ALLOWED_HOSTS", "*.example.com"), "PARLEY_ALLOWED_HOSTS",
			"leading dot"},
		{"host with a port", with("PARLEY_ALLOWED_HOSTS", "chat.example.com:8080"),
			"PARLEY_ALLOWED_HOSTS", "without their port"},
		{"url host", with("PARLEY_ALLOWED_HOSTS", "https://chat.example.org"),
			"PARLEY_ALLOWED_HOSTS", "is a URL"},
		{"debug on", with("PARLEY_DEBUG", "1"), "PARLEY_DEBUG", "debug is on"},
		{"api without auth", with("PARLEY_AUTH_TOKEN", ""), "PARLEY_AUTH_TOKEN",
			"without a token or JWT secret"},
		{"weak api token", with("PARLEY_AUTH_TOKEN", "token"), "PARLEY_AUTH_TOKEN", "is weak"},
		{"weak jwt secret", with("PARLEY_AUTH_TOKEN", "", "PARLEY_JWT_SECRET", "jwt-secret"),
			"PARLEY_JWT_SECRET", "is weak for HS256"},
		{"short metrics token", with("PARLEY_METRICS_TOKEN", "m1"), "PARLEY_METRICS_TOKEN",
			"shorter than 16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustLoad(t, tt.env, nil, nil)
			err := s.CheckProduction()
			var pe *ProductionError
			if !errors.As(err, &pe) || !errors.Is(err, ErrProduction) {
				t.Fatalf("not refused: %v", err)
			}
			if len(pe.Problems) != 1 {
				t.Fatalf("want exactly one problem, got:\n%v", err)
			}
			p := pe.Problems[0]
			if p.Env != tt.flag || !strings.Contains(p.Why, tt.why) || p.Fix == "" {
				t.Errorf("problem %q; want %s and %q with a fix", p, tt.flag, tt.why)
			}
			if strings.Contains(err.Error(), tt.env["PARLEY_SECRET_KEY"]) &&
				tt.env["PARLEY_SECRET_KEY"] != "" {
				t.Error("the refusal prints the secret key")
			}
		})
	}
}

func TestJWTWithRSAIsNotAKeyLength(t *testing.T) {
	env := with("PARLEY_AUTH_TOKEN", "", "PARLEY_JWT_SECRET", "short-public-key",
		"PARLEY_JWT_METHOD", "RS256")
	if err := mustLoad(t, env, nil, nil).CheckProduction(); err != nil {
		t.Errorf("an RS256 public key is not judged by length: %v", err)
	}
}

func TestEveryProblemListedOneLineEach(t *testing.T) {
	env := map[string]string{"PARLEY_ENV": "production", "PARLEY_ALLOWED_HOSTS": "*",
		"PARLEY_DEBUG": "on", "PARLEY_ENABLE_API": "yes"}
	err := mustLoad(t, env, nil, nil).CheckProduction()
	if err == nil {
		t.Fatal("not refused")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 5 { // the heading and four problems
		t.Fatalf("want a heading and 4 lines:\n%v", err)
	}
	for i, want := range []string{"PARLEY_SECRET_KEY", "PARLEY_ALLOWED_HOSTS", "PARLEY_DEBUG",
		"PARLEY_AUTH_TOKEN"} {
		if !strings.HasPrefix(lines[i+1], "  - "+want+": ") || !strings.Contains(lines[i+1],
			"; fix: ") {
			t.Errorf("line %d = %q, want %s with a fix", i+1, lines[i+1], want)
		}
	}
}

func TestWarnings(t *testing.T) {
	env := with("PARLEY_SHUTDOWN_TIMEOUT", "15", "PARLEY_METRICS_TOKEN", "",
		"PARLEY_CORS", "*", "PARLEY_ACTION_ENDPOINT", "http://localhost:5055/webhook")
	s, err := load(t, env, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.InContainer = true
	got := strings.Join(s.Warnings(), "\n")
	for _, want := range []string{"grace period", "/metrics is off", "any origin",
		"http://action-server:5055/webhook"} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings lack %q:\n%s", want, got)
		}
	}
}

func TestTableMasksSecrets(t *testing.T) {
	s := mustLoad(t, goodProduction, map[string]string{"port": "8080"}, nil)
	var buf bytes.Buffer
	if err := s.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, secret := range []string{"PARLEY_SECRET_KEY", "PARLEY_AUTH_TOKEN",
		"PARLEY_METRICS_TOKEN"} {
		if strings.Contains(out, goodProduction[secret]) {
			t.Errorf("the table shows %s", secret)
		}
	}
	for _, want := range []string{"******** (48 bytes)", "env PARLEY_SECRET_KEY",
		"flag --port", "jwt_secret", "(not set)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	buf.Reset()
	if err := s.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rows); err != nil || len(rows) != len(specs) {
		t.Fatalf("JSON: %v, %d rows", err, len(rows))
	}
	if strings.Contains(buf.String(), goodProduction["PARLEY_SECRET_KEY"]) {
		t.Error("the JSON shows the secret key")
	}
}
