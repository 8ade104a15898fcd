package duckling

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// machineZones are TZ values the machine might have; none may change a
// result.
var machineZones = []string{"UTC", "America/Los_Angeles", "Asia/Kolkata",
	"Pacific/Kiritimati", "Australia/Lord_Howe", "Europe/Berlin"}

// tomorrowAt9 extracts "tomorrow at 9" sent at a fixed instant (built with
// time.Unix, so in the machine's zone), once with no zone configured and
// once with a configured one, and returns both values.
func tomorrowAt9() (string, error) {
	ref := time.Unix(1764806400, 0) // 2025-12-04 00:00:00 UTC
	var out []string
	for _, zone := range []string{"", "America/New_York"} {
		ex, err := New(Config{Timezone: zone, Dimensions: []string{DimTime}}, nil)
		if err != nil {
			return "", err
		}
		ents := ex.Extract("tomorrow at 9", ref, nil)
		if len(ents) != 1 {
			return "", fmt.Errorf("got %d entities", len(ents))
		}
		out = append(out, fmt.Sprint(ents[0].Value))
	}
	return strings.Join(out, " "), nil
}

// TestTZChild is run by TestSameInstantWhateverTZ in a child process
// whose TZ variable is set; it prints its result.
func TestTZChild(t *testing.T) {
	if os.Getenv("DUCKLING_TZ_CHILD") == "" {
		t.Skip("run by TestSameInstantWhateverTZ")
	}
	got, err := tomorrowAt9()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("RESULT " + got)
}

// TestSameInstantWhateverTZ runs the extractor in processes with
// different TZ variables: the answer must not change.
func TestSameInstantWhateverTZ(t *testing.T) {
	const want = "2025-12-05T09:00:00.000+00:00 2025-12-04T09:00:00.000-05:00"
	for _, zone := range machineZones {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTZChild$", "-test.v")
		cmd.Env = append(os.Environ(), "TZ="+zone, "DUCKLING_TZ_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("TZ=%s: %v\n%s", zone, err, out)
		}
		got := resultLine(string(out))
		if got != want {
			t.Errorf("TZ=%s: got %q, want %q", zone, got, want)
		}
	}
}

func resultLine(out string) string {
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "RESULT "); ok {
			return rest
		}
	}
	return ""
}

// TestSameInstantWhateverLocal does the same in process by replacing
// time.Local.
func TestSameInstantWhateverLocal(t *testing.T) {
	saved := time.Local
	t.Cleanup(func() { time.Local = saved })
	var first string
	for _, zone := range machineZones {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		time.Local = loc
		got, err := tomorrowAt9()
		if err != nil {
			t.Fatal(err)
		}
		if first == "" {
			first = got
		}
		if got != first {
			t.Errorf("time.Local=%s: got %q, want %q", zone, got, first)
		}
	}
}

// TestSkippedWallClockTime: a time the clocks skip when summer time starts
// is the time after the jump, not an hour before what was asked.
func TestSkippedWallClockTime(t *testing.T) {
	ex := newTestExtractor(t, Config{Timezone: "America/New_York", Dimensions: []string{DimTime}})
	ny, err := LoadZone("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	ref := time.Date(2027, 3, 13, 12, 0, 0, 0, ny) // summer time starts at 2:00 on the 14th
	ents := ex.Builtin("tomorrow at 2:30am", ref, ny)
	if len(ents) != 1 || ents[0].Value != "2027-03-14T03:30:00.000-04:00" {
		t.Errorf("tomorrow at 2:30am on the night clocks go forward: %v", describeAll(ents))
	}
	ents = ex.Builtin("tomorrow at 4:30am", ref, ny)
	if len(ents) != 1 || ents[0].Value != "2027-03-14T04:30:00.000-04:00" {
		t.Errorf("a time after the jump: %v", describeAll(ents))
	}
}
