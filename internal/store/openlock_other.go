//go:build !unix

package store

import "context"

// lockForOpening does nothing where flock is missing: SQLite's busy
// timeout is all there is.
func lockForOpening(context.Context, string) (func(), error) { return func() {}, nil }
