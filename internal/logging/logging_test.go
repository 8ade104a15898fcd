package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

func TestJSONLinesCarryRequestID(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, Options{Format: FormatJSON, Level: slog.LevelInfo})
	ctx := WithRequestID(context.Background(), "abc123")
	log.InfoContext(ctx, "turn", "conversation", "u1", "intent", "greet")
	log.Debug("hidden")
	log.With("model", "m1").WarnContext(ctx, "slow")

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines (debug filtered), got %d:\n%s", len(lines), buf.String())
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	want := map[string]any{"msg": "turn", "level": "INFO", "request_id": "abc123",
		"conversation": "u1", "intent": "greet"}
	for k, v := range want {
		if first[k] != v {
			t.Errorf("%s = %v, want %v", k, first[k], v)
		}
	}
	if !strings.Contains(lines[1], `"model":"m1"`) || !strings.Contains(lines[1], "abc123") {
		t.Errorf("second line lost an attribute: %s", lines[1])
	}
}

func TestTextFormatAndExplicitID(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, Options{Level: slog.LevelDebug})
	ctx := WithRequestID(context.Background(), "ctx-id")
	log.DebugContext(ctx, "request", "request_id", "own-id")
	got := buf.String()
	if !strings.HasPrefix(got, "time=") || !strings.Contains(got, "level=DEBUG") {
		t.Errorf("not a text line: %q", got)
	}
	if strings.Contains(got, "ctx-id") || strings.Count(got, "request_id=") != 1 {
		t.Errorf("an explicit request_id must win over the context's: %q", got)
	}
}

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in   string
		want slog.Level
		ok   bool
	}{
		{"debug", slog.LevelDebug, true}, {"INFO", slog.LevelInfo, true},
		{"WARNING", slog.LevelWarn, true}, {"warn", slog.LevelWarn, true},
		{" error ", slog.LevelError, true}, {"", slog.LevelInfo, true},
		{"loud", slog.LevelInfo, false},
	}
	for _, tt := range tests {
		got, err := ParseLevel(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if f, err := ParseFormat("JSON"); f != FormatJSON || err != nil {
		t.Errorf("ParseFormat(JSON) = %q, %v", f, err)
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("ParseFormat(xml) accepted")
	}
}
