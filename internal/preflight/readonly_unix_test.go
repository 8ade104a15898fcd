//go:build unix

package preflight

import (
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestReadOnlyFileSystemFix(t *testing.T) {
	e := &Error{Dir: Dir{Path: "/data", Purpose: "data directory", Setting: "PARLEY_DATA_DIR"},
		Op: "write", Path: "/data", Err: &os.PathError{Op: "open", Path: "/data/x",
			Err: syscall.EROFS}, User: Identity{UID: 65532, GID: 65532, UserName: "nonroot",
			Group: "nonroot", hasGroups: true}, OwnerPath: "/data"}
	msg := e.Error()
	for _, w := range []string{"parley cannot write its data directory /data",
		"uid 65532 (nonroot), gid 65532 (nonroot), no other groups", "drop :ro",
		"point PARLEY_DATA_DIR at a writable folder"} {
		if !strings.Contains(msg, w) {
			t.Errorf("message lacks %q:\n%s", w, msg)
		}
	}
}
