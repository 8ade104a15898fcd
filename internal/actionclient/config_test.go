package actionclient

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseConfig(t *testing.T) {
	cfg, err := ParseConfig(map[string]any{
		"url":                      "https://actions.example.com/webhook",
		"headers":                  map[string]any{"X-Key": "k"},
		"basic_auth":               map[string]any{"username": "u", "password": "p"},
		"token":                    "t",
		"timeout":                  2.5,
		"enable_selective_domain":  true,
		"compress":                 "true",
		"tracker_events":           "all",
		"enable_selective_domains": true,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		URL:             "https://actions.example.com/webhook",
		Headers:         map[string]string{"X-Key": "k"},
		BasicAuth:       &BasicAuth{Username: "u", Password: "p"},
		Token:           "t",
		TokenName:       "token",
		Timeout:         2500 * time.Millisecond,
		SelectiveDomain: true,
		Compress:        true,
		AllEvents:       true,
		Unknown:         []string{"enable_selective_domains"},
	}
	if diff := cmp.Diff(want, cfg); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
}

func TestParseConfigDefaults(t *testing.T) {
	cfg, err := ParseConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.URL != "" || cfg.Timeout != DefaultTimeout || cfg.AllEvents || cfg.SelectiveDomain {
		t.Errorf("defaults = %+v", cfg)
	}
}

func TestParseConfigErrors(t *testing.T) {
	cases := []struct {
		section map[string]any
		key     string
	}{
		{map[string]any{"url": "localhost:5055"}, "url"},
		{map[string]any{"url": "ftp://x/webhook"}, "url"},
		{map[string]any{"timeout": "soon"}, "timeout"},
		{map[string]any{"timeout": 0}, "timeout"},
		{map[string]any{"timeout": -3}, "timeout"},
		{map[string]any{"enable_selective_domain": "maybe"}, "enable_selective_domain"},
		{map[string]any{"headers": []any{"a"}}, "headers"},
		{map[string]any{"basic_auth": "u:p"}, "basic_auth"},
		{map[string]any{"tracker_events": "some"}, "tracker_events"},
		{map[string]any{"token": []any{1}}, "token"},
	}
	for _, tc := range cases {
		_, err := ParseConfig(tc.section)
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%v: error = %v, want ErrConfig naming %s", tc.section, err, tc.key)
		}
	}
}
