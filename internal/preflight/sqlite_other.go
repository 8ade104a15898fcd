//go:build !unix

package preflight

// ClaimSQLite does nothing on this platform: no file lock is taken, so
// two servers on one SQLite database are not noticed.
func ClaimSQLite(string) (release func() error, warning string, err error) {
	return func() error { return nil }, "", nil
}
