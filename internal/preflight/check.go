package preflight

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Dir is one folder Parley needs.
type Dir struct {
	// Path is the folder, absolute.
	Path string
	// Purpose names it in messages: "data directory", "models folder".
	Purpose string
	// Setting is what moves it: "PARLEY_DATA_DIR or --data-dir".
	Setting string
	// ReadOnly folders need only be readable (the models of a run that
	// never trains or receives a model).
	ReadOnly bool
	// Files inside the folder that must be writable when they exist (the
	// database and its -wal and -shm files).
	Files []string
}

// Check makes each missing folder, then proves it usable by writing (or,
// for read-only ones, listing) it. It returns nil, or the *Error of every
// folder that failed, joined.
func Check(dirs ...Dir) error {
	var errs []error
	for _, d := range dirs {
		if err := check(d); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// check tests one folder.
func check(d Dir) error {
	if d.ReadOnly {
		if _, err := os.ReadDir(d.Path); err != nil {
			return newError(d, "read", d.Path, err)
		}
		return nil
	}
	if err := os.MkdirAll(d.Path, 0o755); err != nil {
		return newError(d, "create", d.Path, err)
	}
	f, err := os.CreateTemp(d.Path, ".parley-preflight-*")
	if err != nil {
		return newError(d, "write", d.Path, err)
	}
	_, werr := f.Write([]byte("ok"))
	cerr := f.Close()
	os.Remove(f.Name())
	if err := errors.Join(werr, cerr); err != nil {
		return newError(d, "write", d.Path, err)
	}
	for _, name := range d.Files {
		path := filepath.Join(d.Path, name)
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return newError(d, "write", path, err)
		}
		f.Close()
	}
	return nil
}

// Error is one folder (or file in it) that Parley cannot use.
type Error struct {
	Dir Dir
	// Op is what failed: "create", "write" or "read".
	Op string
	// Path is what failed: the folder, or a file in it.
	Path string
	// Err is the operating system's error.
	Err error
	// User is who Parley runs as.
	User Identity
	// OwnerPath is Path, or its nearest existing parent when Path is
	// missing; Owner owns it (HasOwner false when unknown).
	OwnerPath string
	Owner     Identity
	HasOwner  bool
}

// newError gathers who runs and who owns what for the message.
func newError(d Dir, op, path string, err error) *Error {
	e := &Error{Dir: d, Op: op, Path: path, Err: err, User: Process(), OwnerPath: path}
	for {
		info, statErr := os.Stat(e.OwnerPath)
		if statErr == nil {
			e.Owner, e.HasOwner = ownerIdentity(info)
			break
		}
		parent := filepath.Dir(e.OwnerPath)
		if parent == e.OwnerPath {
			break
		}
		e.OwnerPath = parent
	}
	return e
}

// Unwrap returns ErrNotWritable and the operating system's error.
func (e *Error) Unwrap() []error { return []error{ErrNotWritable, e.Err} }

// Error is the whole message: what failed, who runs, who owns, and the
// commands that fix it.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Path == e.Dir.Path {
		fmt.Fprintf(&b, "parley cannot %s its %s %s: %v\n", e.Op, e.Dir.Purpose, e.Path,
			unwrapPath(e.Err))
	} else {
		fmt.Fprintf(&b, "parley cannot %s %s in its %s %s: %v\n", e.Op, e.Path,
			e.Dir.Purpose, e.Dir.Path, unwrapPath(e.Err))
	}
	fmt.Fprintf(&b, "  Parley runs as %s\n", e.User)
	if e.HasOwner {
		fmt.Fprintf(&b, "  %s is owned by %s\n", e.OwnerPath, e.Owner)
	}
	b.WriteString("  fix it with one of:\n")
	for _, fix := range e.fixes() {
		b.WriteString("    " + fix + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// unwrapPath drops the *PathError's repetition of the path.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// fixes lists the commands that make the folder usable, the likeliest first.
func (e *Error) fixes() []string {
	ids := fmt.Sprintf("%d:%d", e.User.UID, e.User.GID)
	if readOnlyFS(e.Err) {
		return []string{
			"the file system is mounted read-only: drop :ro from the volume (docker run " +
				"-v host-dir:" + e.Dir.Path + ", not -v host-dir:" + e.Dir.Path + ":ro)",
			"or point " + e.settingName() + " at a writable folder",
		}
	}
	if errors.Is(e.Err, fs.ErrNotExist) {
		return []string{
			"create it: mkdir -p " + e.Dir.Path + " (parley train --out " + e.Dir.Path +
				" puts a model in it)",
			"or point " + e.settingName() + " at a folder that exists",
		}
	}
	owner := "sudo chown -R " + ids + " " + e.Dir.Path
	if e.Op == "create" {
		owner = "sudo mkdir -p " + e.Dir.Path + " && " + owner
	}
	fixes := []string{owner + "   (on the host, for a bind mount: chown the host folder)"}
	if e.Op == "read" {
		fixes = append(fixes, "sudo chmod -R a+rX "+e.Dir.Path)
	}
	fixes = append(fixes,
		"Docker: use a named volume (-v "+e.volumeName()+":"+e.Dir.Path+"); a new named volume "+
			"takes the owner of the image's folder",
	)
	if e.HasOwner && e.Owner.UID != 0 {
		fixes = append(fixes, fmt.Sprintf("Docker: run as the folder's owner: docker run -u %d:%d "+
			"(compose: user: \"%d:%d\")", e.Owner.UID, e.Owner.GID, e.Owner.UID, e.Owner.GID))
	}
	can := "write"
	if e.Dir.ReadOnly {
		can = "read"
	}
	return append(fixes, "or point "+e.settingName()+" at a folder "+e.User.userName()+
		" can "+can)
}

// volumeName suggests a volume name from the folder's purpose.
func (e *Error) volumeName() string {
	word, _, _ := strings.Cut(e.Dir.Purpose, " ")
	if word == "" {
		word = "data"
	}
	return "parley-" + word
}

func (e *Error) settingName() string {
	if e.Dir.Setting == "" {
		return "the setting"
	}
	return e.Dir.Setting
}

// userName is the user's name, or its uid.
func (id Identity) userName() string {
	if id.UserName != "" {
		return id.UserName
	}
	return fmt.Sprintf("uid %d", id.UID)
}
