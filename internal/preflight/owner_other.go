//go:build !unix

package preflight

import "io/fs"

// ownerOf returns false: this platform does not expose file owners.
func ownerOf(fs.FileInfo) (uid, gid int, ok bool) { return 0, 0, false }

// readOnlyFS returns false: the platform's error is shown as it is.
func readOnlyFS(error) bool { return false }
