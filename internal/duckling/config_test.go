package duckling

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	cfg, err := ParseConfig(map[string]any{
		"name": "DucklingEntityExtractor", "url": "http://localhost:8000",
		"dimensions": []any{"number", "time"}, "locale": "de_DE",
		"timezone": "Europe/Berlin", "timeout": 5,
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Dimensions, []string{"number", "time"}) || cfg.Locale != "de_DE" ||
		cfg.Timezone != "Europe/Berlin" || cfg.Timeout != 5*time.Second {
		t.Errorf("got %+v", cfg)
	}
	if cfg.UseRemote {
		t.Error("a url alone must not switch on the remote service")
	}
}

func TestParseConfigRemote(t *testing.T) {
	cfg, err := ParseConfig(map[string]any{"url": "http://duck:8000", "use_remote": true}, "")
	if err != nil || !cfg.UseRemote || cfg.Timeout != DefaultTimeout {
		t.Errorf("use_remote: %+v, %v", cfg, err)
	}
	cfg, err = ParseConfig(map[string]any{"url": "http://x"}, "http://env:8000")
	if err != nil || !cfg.UseRemote || cfg.URL != "http://env:8000" {
		t.Errorf("env url: %+v, %v", cfg, err)
	}
	cfg, err = ParseConfig(map[string]any{"dimensions": nil, "locale": nil}, "")
	if err != nil || cfg.Dimensions != nil || cfg.UseRemote {
		t.Errorf("nulls: %+v, %v", cfg, err)
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		params map[string]any
		want   string
		option string // the option the error names
	}{
		{map[string]any{"dimensions": []any{"numbers"}}, `unknown dimension "numbers"`,
			"dimensions"},
		{map[string]any{"dimensions": "number"}, "dimensions: want a list", "dimensions"},
		{map[string]any{"timezone": "Mars/Olympus"}, `timezone: "Mars/Olympus": unknown`,
			"timezone"},
		{map[string]any{"timezone": "Local"}, "local zone is never used", "timezone"},
		{map[string]any{"locale": "english please"}, "want a form like en_US", "locale"},
		{map[string]any{"timeout": -1}, "timeout", "timeout"},
		{map[string]any{"timeout": "3s"}, "want a number of seconds", "timeout"},
		{map[string]any{"use_remote": "yes"}, "use_remote", "use_remote"},
		{map[string]any{"use_remote": true}, "the remote service needs an http(s) URL", "url"},
		{map[string]any{"use_remote": true, "url": "localhost:8000"}, "http(s) URL", "url"},
	}
	for _, tt := range tests {
		_, err := ParseConfig(tt.params, "")
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got %v, want ErrConfig with %q", tt.params, err, tt.want)
		}
		if oe, ok := errors.AsType[*OptionError](err); !ok || oe.Option != tt.option {
			t.Errorf("%v: %v does not name the option %q", tt.params, err, tt.option)
		}
	}
}

func TestRemoteOnlyDimensionAccepted(t *testing.T) {
	ex, err := New(Config{Dimensions: []string{"volume", "number"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ents := ex.Builtin("4 gallons", tableRef(), nil)
	if len(ents) != 1 || ents[0].Entity != DimNumber {
		t.Errorf("got %v", describeAll(ents))
	}
}

func TestNormalizeLocale(t *testing.T) {
	tests := map[string]string{"": "en_US", "en_us": "en_US", "de-DE": "de_DE", "FR": "fr"}
	for in, want := range tests {
		if got := normalizeLocale(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
