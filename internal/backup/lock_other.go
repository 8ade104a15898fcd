//go:build !unix

package backup

// LockFile is the lock file's name in the data directory.
const LockFile = "parley.lock"

// Lock does nothing on this platform: file locks are not used, so stop
// every Parley process by hand before a restore.
func Lock(string, bool) (func() error, error) { return func() error { return nil }, nil }
