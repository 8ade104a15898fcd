//go:build unix

package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// openLockFile is the lock file in the data directory that the processes
// opening the SQLite database take in turn.
const openLockFile = "parley-open.lock"

// openLockWait bounds how long a process waits for another one to finish
// opening the database.
const openLockWait = time.Minute

// lockForOpening takes the data directory's open lock, waiting while
// another process (or another store of this one) holds it. Switching a new
// database to WAL and migrating it need SQLite's exclusive lock, which
// SQLite hands out without waiting when two connections ask at once
// ("database is locked"); taking turns here avoids that. The lock goes
// with the process, even when it is killed.
func lockForOpening(ctx context.Context, dir string) (release func(), err error) {
	path := filepath.Join(dir, openLockFile)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("store: the open lock %s: %w", path, err)
	}
	deadline := time.Now().Add(openLockWait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("store: waiting for %s, which another Parley process "+
				"holds while it opens the database: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}
