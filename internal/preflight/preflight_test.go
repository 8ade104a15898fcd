package preflight

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/testenv"
)

// childVar makes the test binary run the checks of runChild instead of the
// tests: the parent starts it as an unprivileged user.
const childVar = "PARLEY_PREFLIGHT_CHILD"

// nobody is the unprivileged user the child runs as when the tests run as
// root (root passes every permission check, so it cannot show the error).
const nobody = 65534

func TestMain(m *testing.M) {
	if base := os.Getenv(childVar); base != "" {
		os.Exit(runChild(base))
	}
	os.Exit(m.Run())
}

// runChild checks the folders the parent prepared and prints the error.
func runChild(base string) int {
	err := Check(
		Dir{Path: filepath.Join(base, "writable"), Purpose: "data directory"},
		Dir{Path: filepath.Join(base, "locked"), Purpose: "data directory",
			Setting: "PARLEY_DATA_DIR"},
		Dir{Path: filepath.Join(base, "closed", "data"), Purpose: "data directory"},
		Dir{Path: filepath.Join(base, "shared"), Purpose: "data directory",
			Files: []string{"parley.db", "parley.db-wal"}},
		Dir{Path: filepath.Join(base, "closed"), Purpose: "models folder", ReadOnly: true},
		Dir{Path: filepath.Join(base, "locked"), Purpose: "models folder", ReadOnly: true},
	)
	if err == nil {
		return 0
	}
	fmt.Fprintln(os.Stderr, err)
	if !errors.Is(err, ErrNotWritable) {
		return 4
	}
	return 3
}

// prepare makes the folders runChild checks, readable by anyone, and a
// copy of the test binary that anyone may run.
func prepare(t *testing.T) (base, binary string) {
	t.Helper()
	base, err := os.MkdirTemp("", "preflight-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.WalkDir(base, func(p string, _ os.DirEntry, _ error) error {
			return os.Chmod(p, 0o755)
		})
		os.RemoveAll(base)
	})
	dirs := map[string]os.FileMode{"": 0o755, "writable": 0o777, "locked": 0o555,
		"closed": 0o500, "shared": 0o777}
	for name, mode := range dirs {
		path := filepath.Join(base, name)
		if err := os.MkdirAll(path, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(base, "shared", "parley.db"), nil, 0o444); err != nil {
		t.Fatal(err)
	}
	return base, copyBinary(t, base)
}

func copyBinary(t *testing.T, base string) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(self)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	binary := filepath.Join(base, "preflight.test")
	out, err := os.OpenFile(binary, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return binary
}

// childCommand runs binary as an unprivileged user: itself when the tests
// are not root, nobody through setpriv when they are.
func childCommand(t *testing.T, binary string) (*exec.Cmd, int) {
	t.Helper()
	if os.Geteuid() != 0 {
		return exec.Command(binary), os.Getuid()
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		testenv.Missing(t, "setpriv (util-linux) is needed to run the check as an "+
			"unprivileged user; root passes every permission check")
	}
	args := []string{"--reuid=" + strconv.Itoa(nobody), "--regid=" + strconv.Itoa(nobody),
		"--clear-groups", binary}
	return exec.Command(setpriv, args...), nobody
}

func TestUnwritableFoldersAsUnprivilegedUser(t *testing.T) {
	base, binary := prepare(t)
	cmd, uid := childCommand(t, binary)
	cmd.Env = append(os.Environ(), childVar+"="+base)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("want exit status 3, got %v:\n%s", err, out)
	}
	msg := string(out)
	t.Logf("the message:\n%s", msg)

	runsAs := fmt.Sprintf("Parley runs as uid %d (%s), gid %d (%s), no other groups",
		uid, userName(uid), uid, groupName(uid))
	owner := fmt.Sprintf("uid %d (%s), gid %d (%s)", os.Getuid(), userName(os.Getuid()),
		os.Getgid(), groupName(os.Getgid()))
	ids := fmt.Sprintf("%d:%d", uid, uid)
	want := []string{
		"parley cannot write its data directory " + base + "/locked: permission denied",
		runsAs,
		base + "/locked is owned by " + owner + ", mode dr-xr-xr-x",
		"sudo chown -R " + ids + " " + base + "/locked",
		"or point PARLEY_DATA_DIR at a folder " + userName(uid) + " can write",
		"parley cannot create its data directory " + base + "/closed/data: permission denied",
		base + "/closed is owned by " + owner + ", mode dr-x------",
		"sudo mkdir -p " + base + "/closed/data && sudo chown -R " + ids + " " +
			base + "/closed/data",
		"parley cannot write " + base + "/shared/parley.db in its data directory " +
			base + "/shared",
		"parley cannot read its models folder " + base + "/closed: permission denied",
		"Docker: use a named volume",
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("the message lacks %q", w)
		}
	}
	if n := strings.Count(msg, "parley cannot"); n != 4 {
		t.Errorf("want 4 failing folders (writable, readable ones pass), got %d", n)
	}
}

func userName(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		return u.Username
	}
	return "no name"
}

func groupName(gid int) string {
	if g, err := user.LookupGroupId(strconv.Itoa(gid)); err == nil {
		return g.Name
	}
	return "no name"
}

func TestCheckCreatesMissingFolders(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b", ".parley")
	if err := Check(Dir{Path: dir, Purpose: "data directory"}); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 0 {
		t.Errorf("the folder must exist and be left empty: %v %v", entries, err)
	}
}

func TestPathIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "parley.db")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := Check(Dir{Path: file, Purpose: "data directory", Setting: "PARLEY_DATA_DIR"})
	var pe *Error
	if !errors.As(err, &pe) || pe.Op != "create" || !errors.Is(err, ErrNotWritable) {
		t.Fatalf("want a create error, got %v", err)
	}
	if !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("the message should say it is not a directory:\n%v", err)
	}
}

// TestMissingReadOnlyFolder: a folder Parley only reads (the models of
// run) that does not exist is named with the commands that create it, not
// with chown or chmod, which cannot help.
func TestMissingReadOnlyFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "models")
	err := Check(Dir{Path: dir, Purpose: "models folder", Setting: "PARLEY_MODELS",
		ReadOnly: true})
	if !errors.Is(err, ErrNotWritable) {
		t.Fatalf("want an error, got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"mkdir -p " + dir, "parley train --out " + dir,
		"point PARLEY_MODELS at a folder that exists"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "chown") || strings.Contains(msg, "chmod") {
		t.Errorf("chown or chmod cannot create a folder:\n%s", msg)
	}
}
