package replicas

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/parley-chat/parley/internal/starter"
	"github.com/parley-chat/parley/internal/testenv"
)

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

// BinaryVar names an already built parley binary for the tests to use
// instead of building one.
const BinaryVar = "PARLEY_TEST_BINARY"

// Binary builds cmd/parley once per test process (pure Go, as the release
// build) and returns its path, or the binary BinaryVar names. RemoveBinary
// deletes what it built; call it from TestMain.
func Binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(BinaryVar); p != "" {
		return p
	}
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "parley-replicas-bin-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "parley")
		// Without debug tables, as the release build: the link is faster.
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", binPath,
			"./cmd/parley")
		cmd.Dir = testenv.RepoRoot(t)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/parley: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// RemoveBinary deletes the binary Binary built, if any.
func RemoveBinary() {
	if binDir != "" {
		os.RemoveAll(binDir)
	}
}

// NewProject writes the starter project (the bot of `parley init`) into a
// fresh folder with endpoints as its endpoints.yml, trains it with bin and
// returns the folder.
func NewProject(t testing.TB, bin, endpoints string) string {
	t.Helper()
	dir := t.TempDir()
	if err := starter.Write(dir, false); err != nil {
		t.Fatalf("writing the starter project: %v", err)
	}
	writeFile(t, filepath.Join(dir, "endpoints.yml"), endpoints)
	train := exec.Command(bin, "train", "--quiet")
	train.Dir = dir
	if out, err := train.CombinedOutput(); err != nil {
		t.Fatalf("parley train: %v\n%s", err, out)
	}
	return dir
}

// CopyProject copies the project folder src (with its trained model) into
// a fresh folder: each replica gets its own, as each container has.
func CopyProject(t testing.TB, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := os.CopyFS(dst, os.DirFS(src))
	if err != nil {
		t.Fatalf("copying the project %s: %v", src, err)
	}
	return dst
}

// writeFile writes body to path, making its folder.
func writeFile(t testing.TB, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
