package event

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// FuzzEventJSON checks that decoding never panics and that whatever
// decodes encodes to bytes that decode to the same event.
func FuzzEventJSON(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "events.golden"))
	if err == nil {
		for _, c := range readGoldenBytes(data) {
			f.Add([]byte(c))
		}
	}
	f.Add([]byte(`{"event":"slot","name":"x","value":{"a":[1,2]}}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var e Event
		if json.Unmarshal(in, &e) != nil {
			return
		}
		out, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("decoded %s but cannot encode it: %v", in, err)
		}
		var again Event
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("cannot decode own output %s: %v", out, err)
		}
		out2, _ := json.Marshal(again)
		if string(out) != string(out2) || !reflect.DeepEqual(normalised(e), normalised(again)) {
			t.Fatalf("unstable round trip:\n%s\n%s", out, out2)
		}
	})
}

// normalised drops what encoding cannot keep (float64 vs int in any).
func normalised(e Event) string {
	data, _ := json.Marshal(e)
	return string(data)
}

// readGoldenBytes returns the JSON lines of a golden file.
func readGoldenBytes(data []byte) []string {
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "{") {
			out = append(out, line)
		}
	}
	return out
}
