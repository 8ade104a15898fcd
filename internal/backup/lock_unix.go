//go:build unix

package backup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// LockFile is the lock file's name in the data directory.
const LockFile = "parley.lock"

// Lock takes the data directory's lock without waiting: shared for a
// process that uses the database (parley run), exclusive for one that
// replaces it (parley db restore). The lock goes with the process, even
// when it is killed. It returns ErrInUse when the other kind is held.
func Lock(dataDir string, exclusive bool) (release func() error, err error) {
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("backup: locking %s: %w", dataDir, err)
	}
	path := filepath.Join(dataDir, LockFile)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("backup: locking %s: %w", dataDir, err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: another Parley process holds %s", ErrInUse, path)
		}
		return nil, fmt.Errorf("backup: locking %s: %w", path, err)
	}
	return f.Close, nil
}
