//go:build unix

package preflight

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ClaimSQLite marks the SQLite database of dataDir as used by this
// process, with an advisory lock on ServerLockFile that goes with the
// process even when it is killed. When another process holds it, the
// claim is not taken and warning says so, naming that process; that is no
// error, since a second process may have its reasons. release lets go of
// the claim.
func ClaimSQLite(dataDir string) (release func() error, warning string, err error) {
	path := filepath.Join(dataDir, ServerLockFile)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, "", fmt.Errorf("preflight: the SQLite server lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := holderOf(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return func() error { return nil }, sqliteWarning(dataDir, holder), nil
		}
		return nil, "", fmt.Errorf("preflight: locking %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte("pid "+strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f.Close, "", nil
}

// holderOf reads the pid the holder of the lock file wrote into it.
func holderOf(f *os.File) string {
	b := make([]byte, 64)
	n, _ := f.ReadAt(b, 0)
	if s := strings.TrimSpace(string(b[:n])); strings.HasPrefix(s, "pid ") {
		return s
	}
	return "pid unknown"
}
