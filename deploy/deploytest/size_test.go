package deploytest

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/testenv"
)

// TestLinkerDropsUnusedMethods guards the largest cut of the image size
// (docs/deploy.md): when code reachable from main calls
// reflect.Value.Method or MethodByName with a name the linker cannot see
// (the standard text/template and html/template do, to call methods from
// templates), the linker keeps every exported method of every type the
// program uses, about 14 MB of Parley's binary. The test links the binary
// with -dumpdep and fails on a <ReflectMethod> symbol, naming the chain of
// calls from main that reaches it.
func TestLinkerDropsUnusedMethods(t *testing.T) {
	if testing.Short() {
		t.Skip("links the parley binary; not in -short")
	}
	out := filepath.Join(t.TempDir(), "parley")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-dumpdep", "-o", out,
		"./cmd/parley")
	cmd.Dir = testenv.RepoRoot(t)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dump, err := cmd.Output()
	if err != nil {
		t.Fatalf("go build -ldflags=-dumpdep: %v\n%s", err, stderr.String())
	}
	parent, culprits := readDumpdep(append(dump, stderr.Bytes()...))
	if len(parent) < 1000 {
		t.Fatalf("the linker printed %d dependencies; -dumpdep output not understood", len(parent))
	}
	if len(culprits) == 0 {
		return
	}
	// The first one found turned the pruning off; the others are often
	// methods kept only because of it.
	t.Errorf("%s calls a method by a name the linker cannot see, so no exported method is "+
		"dropped; reached by:\n  %s\n(all such symbols: %s)", culprits[0],
		strings.Join(chain(parent, culprits[0]), "\n  "), strings.Join(culprits, ", "))
}

// readDumpdep reads the linker's "from -> to" lines: the first symbol
// that reached each symbol, and the symbols marked <ReflectMethod>.
func readDumpdep(dump []byte) (parent map[string]string, culprits []string) {
	parent = map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(dump))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		from, to, ok := strings.Cut(sc.Text(), " -> ")
		if !ok {
			continue
		}
		name, flags, _ := strings.Cut(from, " <")
		if strings.Contains(flags, "ReflectMethod") && !slices.Contains(culprits, name) {
			culprits = append(culprits, name)
		}
		to, _, _ = strings.Cut(to, " <")
		if _, seen := parent[to]; !seen {
			parent[to] = name
		}
	}
	return parent, culprits
}

// chain follows the first reachers from sym back to main, at most 20.
func chain(parent map[string]string, sym string) []string {
	var out []string
	for range 20 {
		p, ok := parent[sym]
		if !ok || p == "_" {
			break
		}
		out = append(out, p)
		sym = p
	}
	return out
}
