//go:build unix

package preflight

import (
	"errors"
	"io/fs"
	"syscall"
)

// ownerOf returns the user and group owning a file.
func ownerOf(info fs.FileInfo) (uid, gid int, ok bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}

// readOnlyFS reports whether err comes from a file system mounted
// read-only.
func readOnlyFS(err error) bool { return errors.Is(err, syscall.EROFS) }
