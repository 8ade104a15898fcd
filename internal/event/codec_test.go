package event

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/*.golden")

// goldenCase is one section of a golden file: a title line "# ...", the
// input, a separator line and the expected canonical output.
type goldenCase struct {
	title, input, want string
}

const separator = "----------"

func readGolden(t *testing.T, path string) []goldenCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	for _, sec := range strings.Split("\n"+string(data), "\n# ")[1:] {
		title, body, _ := strings.Cut(sec, "\n")
		in, want, ok := strings.Cut(body, "\n"+separator)
		if !ok {
			t.Fatalf("%s: section %q has no %q line", path, title, separator)
		}
		cases = append(cases, goldenCase{title, strings.TrimSpace(in), strings.TrimSpace(want)})
	}
	return cases
}

func writeGolden(t *testing.T, path string, cases []goldenCase) {
	t.Helper()
	var b strings.Builder
	for _, c := range cases {
		b.WriteString("# " + c.title + "\n" + c.input + "\n" + separator + "\n" + c.want + "\n\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGoldenRoundTrip decodes every input, checks the canonical encoding
// against the golden output, and checks that the output decodes to the
// same event and encodes to the same bytes.
func TestGoldenRoundTrip(t *testing.T) {
	path := filepath.Join("testdata", "events.golden")
	cases := readGolden(t, path)
	seen := map[string]bool{}
	for i, c := range cases {
		var e Event
		if err := json.Unmarshal([]byte(c.input), &e); err != nil {
			t.Fatalf("%s: decode input: %v", c.title, err)
		}
		seen[e.Type] = true
		got, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("%s: encode: %v", c.title, err)
		}
		if *update {
			cases[i].want = string(got)
			continue
		}
		if string(got) != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.title, got, c.want)
		}
		var again Event
		if err := json.Unmarshal(got, &again); err != nil {
			t.Fatalf("%s: decode output: %v", c.title, err)
		}
		if !reflect.DeepEqual(e, again) {
			t.Errorf("%s: round trip changed the event:\n%#v\n%#v", c.title, e, again)
		}
	}
	if *update {
		writeGolden(t, path, cases)
	}
	for _, typ := range []string{User, UserFeaturization, EntitiesAdded, Bot, Action, Slot,
		ResetSlots, Restart, SessionStarted, Rewind, Undo, Followup, Pause, Resume,
		ActiveLoop, LoopInterrupted, ActionRejected, Reminder, CancelReminder, Export, Agent} {
		if !seen[typ] {
			t.Errorf("no golden case for event type %q", typ)
		}
	}
}

func TestDecodeListDropsUnknown(t *testing.T) {
	in := `[{"event":"action","timestamp":1,"name":"action_listen"},
		{"event":"wormhole","timestamp":2},
		{"event":"slot","timestamp":3,"name":"a","value":1}]`
	events, skipped, err := DecodeList([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[1].Name != "a" {
		t.Fatalf("events = %+v", events)
	}
	if len(skipped) != 1 || !errors.Is(skipped[0], ErrUnknownType) ||
		!strings.Contains(skipped[0].Error(), "wormhole") {
		t.Fatalf("skipped = %v", skipped)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, in := range []string{`[]`, `{"timestamp":1}`, `{"event":"slot","name":3}`, `nul`} {
		var e Event
		err := json.Unmarshal([]byte(in), &e)
		if err == nil {
			t.Errorf("%s: no error", in)
			continue
		}
		if in != `nul` && !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error %v does not wrap ErrInvalid", in, err)
		}
	}
	if _, _, err := DecodeList([]byte(`{"event":"x"}`)); !errors.Is(err, ErrInvalid) {
		t.Errorf("DecodeList of an object: %v", err)
	}
}

func TestFloatFormat(t *testing.T) {
	for f, want := range map[float64]string{
		1690000000: "1690000000.0", 0.5: "0.5", 1: "1.0", 0: "0.0", 1e-05: "1e-05",
		-2.25: "-2.25", 1e16: "1e+16",
	} {
		if got := string(appendFloat(nil, f)); got != want {
			t.Errorf("%v: got %s want %s", f, got, want)
		}
	}
}
