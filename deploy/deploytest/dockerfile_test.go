package deploytest

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/testenv"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd  string // upper case: FROM, RUN, ...
	args string
	line int
}

// stage is one FROM and the instructions under it.
type stage struct {
	image, name string
	body        []instruction
}

// readRepo returns a file of the repository.
func readRepo(t *testing.T, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// parseDockerfile splits a Dockerfile into stages of instructions.
func parseDockerfile(text string) []stage {
	var stages []stage
	var cur strings.Builder
	start := 0
	flush := func() {
		fields := strings.Fields(cur.String())
		cur.Reset()
		if len(fields) == 0 {
			return
		}
		in := instruction{cmd: strings.ToUpper(fields[0]),
			args: strings.Join(fields[1:], " "), line: start}
		if in.cmd == "FROM" {
			st := stage{image: fields[1]}
			if len(fields) >= 4 && strings.EqualFold(fields[2], "AS") {
				st.name = fields[3]
			}
			stages = append(stages, st)
			return
		}
		if len(stages) > 0 {
			stages[len(stages)-1].body = append(stages[len(stages)-1].body, in)
		}
	}
	for i, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSuffix(trimmed, "\\") + " ")
			continue
		}
		cur.WriteString(trimmed)
		flush()
	}
	return stages
}

// find returns the instructions of a kind in a stage.
func (s stage) find(cmd string) []instruction {
	var out []instruction
	for _, in := range s.body {
		if in.cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

var (
	pinnedTag = regexp.MustCompile(
		`^[^:@]+(:[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*)?(@sha256:[0-9a-f]{64})?$`)
	goVersion = regexp.MustCompile(`^golang:(\d+)\.(\d+)(?:\.(\d+))?`)
)

func TestDockerfileRules(t *testing.T) {
	stages := parseDockerfile(readRepo(t, "deploy/Dockerfile"))
	if len(stages) < 2 {
		t.Fatalf("want a multi-stage Dockerfile, got %d stages", len(stages))
	}
	names := map[string]bool{}
	for _, st := range stages {
		checkBase(t, st.image, names)
		names[st.name] = true
		for _, in := range st.find("ADD") {
			if strings.Contains(in.args, "://") || strings.Contains(in.args, "git@") {
				t.Errorf("line %d: ADD of a URL (%s): download in a RUN with a checksum, or "+
					"COPY a file of the repository", in.line, in.args)
			}
		}
	}
	final := stages[len(stages)-1]
	checkFinalStage(t, final)
	checkBuildCommand(t, stages[0])
}

// checkBase accepts scratch, an earlier stage, or an image with a tag that
// names a version (never latest, never no tag).
func checkBase(t *testing.T, image string, stages map[string]bool) {
	t.Helper()
	if image == "scratch" || stages[image] {
		return
	}
	if !pinned(image) {
		t.Errorf("FROM %s: pin the base image to a versioned tag (no latest, no bare name)", image)
	}
	if m := goVersion.FindStringSubmatch(image); m != nil {
		checkGoVersion(t, image, m[1:])
	}
}

// pinned reports whether image names a versioned tag or a digest.
func pinned(image string) bool {
	if strings.Contains(image, "@sha256:") {
		return pinnedTag.MatchString(image)
	}
	return strings.Contains(image, ":") && !strings.HasSuffix(image, ":latest") &&
		pinnedTag.MatchString(image)
}

// checkGoVersion wants the builder's Go at least the go directive of
// go.mod, or the build would download another toolchain (or fail).
func checkGoVersion(t *testing.T, image string, got []string) {
	t.Helper()
	m := regexp.MustCompile(`(?m)^go (\d+)\.(\d+)(?:\.(\d+))?$`).FindStringSubmatch(
		readRepo(t, "go.mod"))
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	for i := range 3 {
		g, _ := strconv.Atoi(got[i])
		w, _ := strconv.Atoi(m[i+1])
		if g != w {
			if g < w {
				t.Errorf("FROM %s is older than go.mod's go %s.%s.%s", image, m[1], m[2], m[3])
			}
			return
		}
	}
}

func checkFinalStage(t *testing.T, final stage) {
	t.Helper()
	users := final.find("USER")
	if len(users) == 0 {
		t.Fatal("the final stage sets no USER: the server would run as root")
	}
	user := users[len(users)-1].args
	uid, _, _ := strings.Cut(user, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		t.Errorf("USER %s: use a numeric non-root uid (such as 65532), which Kubernetes' "+
			"runAsNonRoot can verify", user)
	}
	hc := final.find("HEALTHCHECK")
	if len(hc) != 1 || !strings.Contains(hc[0].args, `"healthcheck"`) ||
		!strings.Contains(hc[0].args, "parley") {
		t.Errorf("the final stage needs HEALTHCHECK ... CMD [\"/usr/local/bin/parley\", "+
			"\"healthcheck\"]: %v", hc)
	}
	env := strings.Join(argsOf(final.find("ENV")), " ")
	if !strings.Contains(env, "PARLEY_ENV=production") {
		t.Errorf("the final stage does not set PARLEY_ENV=production: %s", env)
	}
	vols := strings.Join(argsOf(final.find("VOLUME")), " ")
	for _, v := range []string{`"/data"`, `"/models"`} {
		if !strings.Contains(vols, v) {
			t.Errorf("no VOLUME %s in the final stage", v)
		}
	}
	if ep := argsOf(final.find("ENTRYPOINT")); len(ep) != 1 || !strings.Contains(ep[0], "parley") {
		t.Errorf("the final stage's ENTRYPOINT is not parley: %v", ep)
	}
}

func argsOf(ins []instruction) []string {
	out := make([]string, len(ins))
	for i, in := range ins {
		out[i] = in.args
	}
	return out
}

// checkBuildCommand wants the builder and CI to build with the same
// script, and that script to build statically.
func checkBuildCommand(t *testing.T, build stage) {
	t.Helper()
	const script = "deploy/build.sh"
	runs := strings.Join(argsOf(build.find("RUN")), "\n")
	if !strings.Contains(runs, "sh "+script+" /out/parley") {
		t.Errorf("the build stage does not build with %s", script)
	}
	if ci := readRepo(t, ".ci/run"); !strings.Contains(ci, script) {
		t.Errorf(".ci/run does not run %s: CI must build the binary with the same command as "+
			"the image (add: sh %s \"$(mktemp -d)/parley\")", script, script)
	}
	sh := readRepo(t, script)
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "go build"} {
		if !strings.Contains(sh, want) {
			t.Errorf("%s lacks %s", script, want)
		}
	}
}

func TestParseDockerfile(t *testing.T) {
	stages := parseDockerfile("# c\nFROM golang:1.26.8 AS build\nRUN a \\\n  b\n\nFROM scratch\n" +
		"USER 1:1\nHEALTHCHECK --interval=5s \\\n  CMD [\"x\", \"healthcheck\"]\n")
	if len(stages) != 2 || stages[0].name != "build" || stages[1].image != "scratch" {
		t.Fatalf("stages %+v", stages)
	}
	if r := stages[0].find("RUN"); len(r) != 1 || r[0].args != "a b" || r[0].line != 3 {
		t.Errorf("RUN %+v", r)
	}
	tests := map[string]bool{"nginx": false, "nginx:latest": false, "golang:bookworm": false,
		"golang:1.26.8-bookworm": true, "nginx:1.27.5-alpine": true,
		"gcr.io/distroless/static-debian12:nonroot":                            false,
		"gcr.io/distroless/static-debian12@sha256:" + strings.Repeat("ab", 32): true}
	for image, want := range tests {
		if pinned(image) != want {
			t.Errorf("pinned(%s) = %v", image, !want)
		}
	}
}
