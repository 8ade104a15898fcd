package replicas

import (
	"os"
	"testing"
)

// TestMain removes the binary the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	RemoveBinary()
	os.Exit(code)
}

// heavy skips a whole-process test under -short and -race.
func heavy(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts parley processes; not in -short")
	}
	if raceEnabled {
		t.Skip("starts parley processes; not under the race detector")
	}
}
