package project

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/parley-chat/parley/internal/domain"
)

// readFile reads a file for one of the loaders. A missing file wraps
// ErrNotFound.
func readFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, path)
		}
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}

// displayName is how diagnostics name a file given on its own.
func displayName(path string) string { return filepath.ToSlash(path) }

// LoadDomainFile reads one domain file, or a domain folder whose files are
// merged, and adds the default intents. The error is the first I/O error
// or, when a diagnostic is an Error, Diagnostics.Err().
func LoadDomainFile(path string) (*domain.Domain, Diagnostics, error) {
	var diags Diagnostics
	m, _, err := loadDomain(path, displayName, &diags)
	if err != nil {
		return nil, diags, err
	}
	return m.dom, diags, diags.Err()
}

// loadDomain reads a domain file or folder; name turns a path into its
// name for diagnostics. It returns the files read.
func loadDomain(path string, name func(string) string,
	diags *Diagnostics) (mergedDomain, []string, error) {
	paths, err := yamlFiles(path)
	if err != nil {
		return mergedDomain{}, nil, err
	}
	var files []*domainFile
	for _, p := range paths {
		data, err := readFile(p)
		if err != nil {
			return mergedDomain{}, nil, err
		}
		s := newSource(name(p), data, diags)
		files = append(files, readDomain(s, parseYAML(s, data)))
	}
	return mergeDomains(files), paths, nil
}

// LoadDataFile reads one training-data file: YAML (nlu, responses, stories,
// rules) or Rasa NLU JSON.
func LoadDataFile(path string) (*TrainingData, Diagnostics, error) {
	var diags Diagnostics
	data, err := readFile(path)
	if err != nil {
		return nil, nil, err
	}
	td := readDataBytes(newSource(displayName(path), data, &diags), data)
	return td, diags, diags.Err()
}

func readDataBytes(s *source, data []byte) *TrainingData {
	if strings.EqualFold(filepath.Ext(s.file), ".json") {
		top := parseJSON(s, data)
		if top == nil {
			return &TrainingData{}
		}
		return readNLUJSON(s, top)
	}
	return readTrainingData(s, parseYAML(s, data))
}

// LoadConfigFile reads config.yml, filling the default pipeline and
// policies when they are empty and migrating removed policies.
func LoadConfigFile(path string) (Config, Diagnostics, error) {
	var diags Diagnostics
	data, err := readFile(path)
	if err != nil {
		return Config{}, nil, err
	}
	s := newSource(displayName(path), data, &diags)
	res := readConfig(s, parseYAML(s, data))
	return res.cfg, diags, diags.Err()
}

// LoadEndpointsFile reads endpoints.yml, expanding ${VAR} with env (nil
// means os.LookupEnv).
func LoadEndpointsFile(path string, env LookupEnv) (Endpoints, Diagnostics, error) {
	var diags Diagnostics
	data, err := readFile(path)
	if err != nil {
		return Endpoints{}, nil, err
	}
	s := newSource(displayName(path), data, &diags)
	e := readEndpoints(s, parseYAML(s, data), envOrOS(env))
	return e, diags, diags.Err()
}

// LoadCredentialsFile reads credentials.yml, expanding ${VAR} with env (nil
// means os.LookupEnv).
func LoadCredentialsFile(path string,
	env LookupEnv) (map[string]map[string]any, Diagnostics, error) {
	var diags Diagnostics
	data, err := readFile(path)
	if err != nil {
		return nil, nil, err
	}
	s := newSource(displayName(path), data, &diags)
	c := readCredentials(s, parseYAML(s, data), envOrOS(env))
	return c, diags, diags.Err()
}

func envOrOS(env LookupEnv) LookupEnv {
	if env == nil {
		return os.LookupEnv
	}
	return env
}

// yamlFiles lists path itself if it is a file, or the YAML files under it
// (sorted, hidden files and folders skipped) if it is a folder.
func yamlFiles(path string) ([]string, error) {
	return dataFiles(path, ".yml", ".yaml")
}

// dataFiles lists path or the files under it with one of the extensions.
func dataFiles(path string, exts ...string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, path)
		}
		return nil, fmt.Errorf("stat %s: %w", path, err)
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	var out []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		hidden := p != path && strings.HasPrefix(d.Name(), ".")
		if d.IsDir() {
			if hidden {
				return filepath.SkipDir
			}
			return nil
		}
		if !hidden && hasExt(p, exts) {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

func hasExt(p string, exts []string) bool {
	for _, e := range exts {
		if strings.EqualFold(filepath.Ext(p), e) {
			return true
		}
	}
	return false
}
