package watch

import (
	"path/filepath"
	"strings"
)

// ProjectFiles name a project's files as the CLI flags do; empty fields
// mean Rasa's default place.
type ProjectFiles struct {
	Config      string
	Domain      string
	Data        []string
	Endpoints   string
	Credentials string
}

// ProjectPaths returns the absolute paths a reload watches in the project
// at root: the config, the domain file or folder, the data folders,
// endpoints.yml and credentials.yml. Relative paths resolve against root.
func ProjectPaths(root string, f ProjectFiles) []string {
	data := f.Data
	if len(data) == 0 {
		data = []string{"data"}
	}
	paths := []string{
		orDefault(f.Config, "config.yml"),
		orDefault(f.Domain, "domain.yml"),
		orDefault(f.Endpoints, "endpoints.yml"),
		orDefault(f.Credentials, "credentials.yml"),
	}
	paths = append(paths, data...)
	if f.Domain == "" {
		// Rasa also reads a domain folder when there is no domain.yml.
		paths = append(paths, "domain")
	}
	for i, p := range paths {
		if !filepath.IsAbs(p) {
			paths[i] = filepath.Join(root, p)
		}
		paths[i] = filepath.Clean(paths[i])
	}
	return paths
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// ignored reports whether a file name is an editor's or tool's temporary
// file, whose changes are no reason to retrain: hidden files (.nlu.yml.swp,
// .#domain.yml), backups (domain.yml~), and vim's 4913 probe.
func ignored(name string) bool {
	switch {
	case strings.HasPrefix(name, "."), strings.HasSuffix(name, "~"), name == "4913":
		return true
	}
	for _, ext := range []string{".swp", ".swx", ".tmp", ".part"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}
