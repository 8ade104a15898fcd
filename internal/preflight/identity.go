package preflight

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"strconv"
	"strings"
)

// Identity is a user and group: who Parley runs as, or who owns a folder.
type Identity struct {
	UID, GID           int
	UserName, Group    string
	Groups             []int // supplementary groups (for the process only)
	Mode               fs.FileMode
	hasGroups, hasMode bool
}

// Process returns the identity the process runs as.
func Process() Identity {
	id := Identity{UID: os.Getuid(), GID: os.Getgid(), hasGroups: true}
	id.Groups, _ = os.Getgroups()
	id.name()
	return id
}

// ownerIdentity returns the owner of path, and false when the platform does
// not say.
func ownerIdentity(info fs.FileInfo) (Identity, bool) {
	uid, gid, ok := ownerOf(info)
	if !ok {
		return Identity{}, false
	}
	id := Identity{UID: uid, GID: gid, Mode: info.Mode(), hasMode: true}
	id.name()
	return id, true
}

// name looks up the user and group names (from /etc/passwd and
// /etc/group; an id without a name stays unnamed).
func (id *Identity) name() {
	if u, err := user.LookupId(strconv.Itoa(id.UID)); err == nil {
		id.UserName = u.Username
	}
	if g, err := user.LookupGroupId(strconv.Itoa(id.GID)); err == nil {
		id.Group = g.Name
	}
}

// String is "uid 65532 (nonroot), gid 65532 (nonroot)", with the other
// groups or the mode when known.
func (id Identity) String() string {
	s := fmt.Sprintf("uid %d%s, gid %d%s", id.UID, paren(id.UserName), id.GID, paren(id.Group))
	if id.hasGroups {
		var other []string
		for _, g := range id.Groups {
			if g != id.GID {
				other = append(other, strconv.Itoa(g))
			}
		}
		if len(other) == 0 {
			s += ", no other groups"
		} else {
			s += ", other groups " + strings.Join(other, ",")
		}
	}
	if id.hasMode {
		s += ", mode " + id.Mode.String()
	}
	return s
}

func paren(name string) string {
	if name == "" {
		return " (no name)"
	}
	return " (" + name + ")"
}
