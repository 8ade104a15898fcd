package deploytest

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/parley-chat/parley/internal/settings"
	"github.com/parley-chat/parley/internal/testenv"
)

// compose is the part of docker-compose.yml the checks read.
type compose struct {
	Services map[string]service `yaml:"services"`
	Secrets  map[string]struct {
		File string `yaml:"file"`
	} `yaml:"secrets"`
	Volumes map[string]any `yaml:"volumes"`
}

type service struct {
	Image       string            `yaml:"image"`
	Build       map[string]string `yaml:"build"`
	Environment map[string]string `yaml:"environment"`
	Secrets     []string          `yaml:"secrets"`
	Volumes     []string          `yaml:"volumes"`
	Ports       []string          `yaml:"ports"`
	Expose      []string          `yaml:"expose"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	StopGrace string    `yaml:"stop_grace_period"`
	Networks  yaml.Node `yaml:"networks"`
}

// ipv4 returns the fixed address a service has on one of its networks.
func (s service) ipv4() string {
	if s.Networks.Kind != yaml.MappingNode {
		return ""
	}
	var nets map[string]struct {
		IPv4 string `yaml:"ipv4_address"`
	}
	if s.Networks.Decode(&nets) != nil {
		return ""
	}
	for _, n := range nets {
		if n.IPv4 != "" {
			return n.IPv4
		}
	}
	return ""
}

// hostLabel is a valid host name label: what a service name must be,
// since other containers reach it by that name.
var hostLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

func readCompose(t *testing.T) compose {
	t.Helper()
	var c compose
	if err := yaml.Unmarshal([]byte(readRepo(t, "deploy/docker-compose.yml")), &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return c
}

// parleyService returns the service built from the Dockerfile's parley
// stage.
func parleyService(t *testing.T, c compose) (string, service) {
	t.Helper()
	for name, s := range c.Services {
		if s.Build["target"] == "parley" {
			return name, s
		}
	}
	t.Fatal("no service builds the Dockerfile's parley target")
	return "", service{}
}

func TestComposeStructure(t *testing.T) {
	c := readCompose(t)
	if len(c.Services) < 3 {
		t.Fatalf("want nginx, parley and an action server, got %d services", len(c.Services))
	}
	stages := map[string]bool{}
	for _, st := range parseDockerfile(readRepo(t, "deploy/Dockerfile")) {
		stages[st.name] = true
	}
	for name, s := range c.Services {
		if !hostLabel.MatchString(name) || !strings.Contains(name, "-") {
			t.Errorf("service %q: name services with lower-case words and hyphens "+
				"(they are host names; an underscore makes Host checks fail)", name)
		}
		if target := s.Build["target"]; target != "" && !stages[target] {
			t.Errorf("service %s builds target %q, which the Dockerfile lacks", name, target)
		}
		if s.Image != "" && s.Build == nil && !pinned(s.Image) {
			t.Errorf("service %s: pin image %s to a versioned tag", name, s.Image)
		}
	}
	name, p := parleyService(t, c)
	checkActionEndpoint(t, c, p)
	checkSecrets(t, c, p)
	checkParleyVolumes(t, name, p)
	if len(p.Ports) != 0 {
		t.Errorf("%s publishes ports %v: only NGINX should face the network", name, p.Ports)
	}
	if grace, err := time.ParseDuration(p.StopGrace); err != nil ||
		grace <= settings.DefaultShutdownTimeout {
		t.Errorf("%s: stop_grace_period %q must exceed PARLEY_SHUTDOWN_TIMEOUT (%s)", name,
			p.StopGrace, settings.DefaultShutdownTimeout)
	}
	checkProxy(t, c, name, p)
}

// checkActionEndpoint wants the action endpoint to name the action
// server's service, on a port it exposes (localhost inside a container is
// the container itself).
func checkActionEndpoint(t *testing.T, c compose, p service) {
	t.Helper()
	raw := p.Environment["PARLEY_ACTION_ENDPOINT"]
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		t.Fatalf("PARLEY_ACTION_ENDPOINT %q is not a URL", raw)
	}
	target, ok := c.Services[u.Hostname()]
	if !ok {
		t.Fatalf("PARLEY_ACTION_ENDPOINT %s does not name a service of the file", raw)
	}
	if !slices.Contains(target.Expose, u.Port()) {
		t.Errorf("the action server does not expose port %s (expose: %v)", u.Port(), target.Expose)
	}
	if u.Path != "/webhook" {
		t.Errorf("the action endpoint path is %q, want /webhook", u.Path)
	}
}

// checkSecrets wants secrets as Docker secret files, never in the
// environment itself.
func checkSecrets(t *testing.T, c compose, p service) {
	t.Helper()
	for _, plain := range []string{"PARLEY_SECRET_KEY", "PARLEY_AUTH_TOKEN", "PARLEY_JWT_SECRET",
		"PARLEY_METRICS_TOKEN"} {
		if _, ok := p.Environment[plain]; ok {
			t.Errorf("%s is set in the environment: use %s_FILE and a Docker secret", plain, plain)
		}
	}
	file := p.Environment["PARLEY_SECRET_KEY_FILE"]
	secret := strings.TrimPrefix(file, "/run/secrets/")
	if secret == file || !slices.Contains(p.Secrets, secret) || c.Secrets[secret].File == "" {
		t.Errorf("PARLEY_SECRET_KEY_FILE=%q should be /run/secrets/<a secret of the service>", file)
	}
}

// checkParleyVolumes wants named volumes for the data and models folders;
// a database file bind-mounted on its own breaks SQLite's -wal and -shm
// files.
func checkParleyVolumes(t *testing.T, name string, p service) {
	t.Helper()
	targets := map[string]string{}
	for _, v := range p.Volumes {
		parts := strings.Split(v, ":")
		if len(parts) < 2 {
			t.Errorf("%s: volume %q has no target", name, v)
			continue
		}
		targets[parts[1]] = parts[0]
		if strings.HasSuffix(parts[1], ".db") {
			t.Errorf("%s mounts the database file %s: mount its folder", name, parts[1])
		}
	}
	for _, dir := range []string{"/data", "/models"} {
		src, ok := targets[dir]
		if !ok || strings.ContainsAny(src, "./") {
			t.Errorf("%s: mount a named volume at %s (got %q)", name, dir, src)
		}
	}
}

// checkProxy wants an NGINX service with the repository's nginx.conf that
// waits for Parley to be healthy, and whose address is the one proxy
// Parley believes X-Forwarded-* headers from.
func checkProxy(t *testing.T, c compose, parley string, p service) {
	t.Helper()
	for name, s := range c.Services {
		if !strings.HasPrefix(s.Image, "nginx:") {
			continue
		}
		if !slices.ContainsFunc(s.Volumes, func(v string) bool {
			return strings.HasPrefix(v, "./nginx.conf:")
		}) {
			t.Errorf("%s does not mount ./nginx.conf", name)
		}
		if s.DependsOn[parley].Condition != "service_healthy" {
			t.Errorf("%s should wait for %s to be healthy", name, parley)
		}
		if ip, trusted := s.ipv4(), p.Environment["PARLEY_TRUSTED_PROXIES"]; ip == "" ||
			trusted != ip {
			t.Errorf("%s has the fixed address %q but %s trusts %q: without it behind NGINX "+
				"Parley sees http instead of https and the proxy as the client", name, ip,
				parley, trusted)
		}
		if !strings.Contains(readRepo(t, "deploy/nginx.conf"), parley+":5005") {
			t.Errorf("nginx.conf does not send requests to %s:5005", parley)
		}
		return
	}
	t.Error("no nginx service")
}

// TestComposeConfig runs `docker compose config` where the compose plugin
// is installed; it is optional, so its absence is no failure even in CI.
func TestComposeConfig(t *testing.T) {
	if exec.Command("docker", "compose", "version").Run() != nil {
		t.Skip("the docker compose plugin is not installed")
	}
	dir := filepath.Join(testenv.RepoRoot(t), "deploy")
	cmd := exec.Command("docker", "compose", "-f", filepath.Join(dir, "docker-compose.yml"),
		"config", "--quiet", "--no-interpolate")
	cmd.Env = append(os.Environ(), "PARLEY_ALLOWED_HOSTS=chat.example.org")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("docker compose config: %v\n%s", err, out)
	}
}
