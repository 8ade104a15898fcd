package cli

import (
	"strings"
	"testing"
)

// TestServeFlagsRefused checks that run refuses unusable --cors, --jwt-*
// and --connector values before it starts, saying how to fix them.
func TestServeFlagsRefused(t *testing.T) {
	dir := writeProject(t, tinyProject)
	cases := []struct {
		args []string
		want string
	}{
		// What an unquoted --cors * becomes in a shell: the file names.
		{[]string{"run", "--cors", "config.yml", "data", "domain.yml"}, `"*" (with quotes)`},
		// Several origins after one --cors, as Rasa takes them; one is bad.
		{[]string{"run", "--cors", "https://a.example", "b.example"}, `"b.example" is not`},
		{[]string{"run", "stray"}, `unexpected argument "stray"`},
		{[]string{"run", "--cors", "example.com"}, "scheme://host"},
		{[]string{"run", "--jwt-secret", "k", "--jwt-method", "XX1"}, "unknown --jwt-method"},
		{[]string{"run", "--jwt-secret", "not a pem", "--jwt-method", "RS256"}, "invalid JWT"},
		{[]string{"run", "--connector", "slack"}, "rest, socketio or callback"},
	}
	for _, c := range cases {
		r := run(t, dir, "", c.args...)
		if r.code == 0 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("parley %s: exit %d, stderr %q; want %q", strings.Join(c.args, " "),
				r.code, r.stderr, c.want)
		}
	}
}
