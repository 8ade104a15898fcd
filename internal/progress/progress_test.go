package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// clock is a fake clock moved by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestPlainLines(t *testing.T) {
	var out bytes.Buffer
	c := &clock{t: time.Unix(0, 0)}
	d := NewWith(&out, false, c.now)
	d.Update("NLU: intent classifier", 0, 100)
	c.t = c.t.Add(3 * time.Second)
	d.Update("NLU: intent classifier", 50, 100) // too soon for a line
	c.t = c.t.Add(8 * time.Second)
	d.Update("NLU: intent classifier", 60, 100)
	d.Update("NLU: intent classifier", 100, 100)
	c.t = c.t.Add(time.Second)
	d.Update("policies", 3, 0)
	d.Finish()
	want := strings.Join([]string{
		"NLU: intent classifier: started",
		"NLU: intent classifier: 60/100 (11s)",
		"NLU: intent classifier: done, 100/100 in 11s",
		"policies: started",
		"policies: done, 3 in 0s",
		"",
	}, "\n")
	if got := out.String(); got != want {
		t.Errorf("plain output:\n%s\nwant:\n%s", got, want)
	}
}

func TestTerminalBars(t *testing.T) {
	var out bytes.Buffer
	d := NewWith(&out, true, time.Now)
	for i := range 11 {
		d.Update("NLU: features", i, 10)
	}
	d.Update("policies", 1, 0)
	d.Finish()
	got := out.String()
	for _, want := range []string{"NLU: features", "10/10", "policies"} {
		if !strings.Contains(got, want) {
			t.Errorf("terminal output lacks %q:\n%q", want, got)
		}
	}
}

func TestIsTerminalOnBuffer(t *testing.T) {
	if IsTerminal(&bytes.Buffer{}) {
		t.Error("a buffer counted as a terminal")
	}
}
