//go:build unix

package preflight

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

func TestClaimSQLiteWarnsTheSecondClaim(t *testing.T) {
	dir := t.TempDir()
	release, warning, err := ClaimSQLite(dir)
	if err != nil || warning != "" {
		t.Fatalf("first claim: warning %q, error %v", warning, err)
	}
	_, warning, err = ClaimSQLite(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pid " + strconv.Itoa(os.Getpid()), dir, "one process",
		"PostgreSQL"} {
		if !strings.Contains(warning, want) {
			t.Errorf("second claim's warning lacks %q: %s", want, warning)
		}
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	release, warning, err = ClaimSQLite(dir)
	if err != nil || warning != "" {
		t.Fatalf("claim after the release: warning %q, error %v", warning, err)
	}
	release()
}

// TestClaimSQLiteSeesAnotherProcess holds the claim in a child process
// (this test binary run again) and claims from this one.
func TestClaimSQLiteSeesAnotherProcess(t *testing.T) {
	if dir := os.Getenv("PARLEY_PREFLIGHT_HOLD"); dir != "" {
		if _, _, err := ClaimSQLite(dir); err != nil {
			os.Exit(2)
		}
		os.Stdout.WriteString("held\n")
		bufio.NewReader(os.Stdin).ReadString('\n') // until the parent closes stdin
		os.Exit(0)
	}
	dir := t.TempDir()
	child := exec.Command(os.Args[0], "-test.run=^TestClaimSQLiteSeesAnotherProcess$")
	child.Env = append(os.Environ(), "PARLEY_PREFLIGHT_HOLD="+dir)
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "held\n" {
		stdin.Close()
		child.Wait()
		t.Fatalf("the child did not take the claim: %q", line)
	}
	_, warning, err := ClaimSQLite(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(warning, "pid "+strconv.Itoa(child.Process.Pid)) {
		t.Errorf("the warning should name the child's pid %d: %s", child.Process.Pid, warning)
	}
	stdin.Close()
	if err := child.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	release, warning, err := ClaimSQLite(dir)
	if err != nil || warning != "" {
		t.Errorf("after the child ended: warning %q, error %v", warning, err)
	}
	release()
}
