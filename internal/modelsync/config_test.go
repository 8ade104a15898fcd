package modelsync

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/project"
)

func TestParseConfig(t *testing.T) {
	pos := project.Pos{File: "endpoints.yml", Line: 4, Column: 1}
	url := "http://127.0.0.1:8080/models/default"
	tests := []struct {
		name     string
		section  map[string]any
		interval time.Duration
		unknown  []string
		err      string
	}{
		{name: "default interval", section: map[string]any{"url": url},
			interval: DefaultInterval},
		{name: "seconds", section: map[string]any{"url": url, "wait_time_between_pulls": 10},
			interval: 10 * time.Second},
		{name: "fraction", section: map[string]any{"url": url, "wait_time_between_pulls": 0.5},
			interval: 500 * time.Millisecond},
		{name: "from an environment variable",
			section:  map[string]any{"url": url, "wait_time_between_pulls": " 30 "},
			interval: 30 * time.Second},
		{name: "null pulls once",
			section: map[string]any{"url": url, "wait_time_between_pulls": nil}},
		{name: "zero pulls once",
			section: map[string]any{"url": url, "wait_time_between_pulls": 0}},
		{name: "unused keys", interval: DefaultInterval,
			section: map[string]any{"url": url, "compress": true, "wiat_time": 3},
			unknown: []string{"compress", "wiat_time"}},
		{name: "negative", section: map[string]any{"url": url, "wait_time_between_pulls": -1},
			err: "endpoints.yml:4:1: invalid models: section: wait_time_between_pulls must " +
				"not be negative"},
		{name: "not a number",
			section: map[string]any{"url": url, "wait_time_between_pulls": "soon"},
			err:     `wait_time_between_pulls must be a number of seconds or null, not "soon"`},
		{name: "no url", section: map[string]any{"wait_time_between_pulls": 5},
			err: "endpoints.yml:4:1: invalid models: section: url is missing"},
		{name: "empty", section: nil,
			err: "endpoints.yml:4:1: invalid models: section: give the model server's address"},
		{name: "bad url", section: map[string]any{"url": "models.example.com"},
			err: "url must be an http:// or https:// address"},
		{name: "bad headers", section: map[string]any{"url": url, "headers": "x"},
			err: "headers must be a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseConfig(tt.section, pos)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				if !errors.Is(err, ErrConfig) {
					t.Errorf("error %v does not wrap ErrConfig", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Interval != tt.interval {
				t.Errorf("interval %v, want %v", cfg.Interval, tt.interval)
			}
			if !slices.Equal(cfg.Unknown, tt.unknown) {
				t.Errorf("unknown keys %v, want %v", cfg.Unknown, tt.unknown)
			}
			if cfg.Endpoint.Timeout != DefaultPullTimeout {
				t.Errorf("timeout %v, want %v", cfg.Endpoint.Timeout, DefaultPullTimeout)
			}
		})
	}
}

func TestParseConfigTimeoutAndToken(t *testing.T) {
	cfg, err := ParseConfig(map[string]any{"url": "https://m.example.com/latest?x=1",
		"timeout": 20, "token": "s3cret", "token_name": "key",
		"params": map[string]any{"env": "prod"}}, project.Pos{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Endpoint.Timeout != 20*time.Second {
		t.Errorf("timeout %v, want 20s", cfg.Endpoint.Timeout)
	}
	full, where, err := pullURL(*cfg)
	if err != nil {
		t.Fatal(err)
	}
	if full != "https://m.example.com/latest?env=prod&key=s3cret&x=1" {
		t.Errorf("url %q", full)
	}
	if where != "https://m.example.com/latest" {
		t.Errorf("shown url %q still holds the query", where)
	}
}
