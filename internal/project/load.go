package project

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"go.yaml.in/yaml/v3"
)

// Options changes where Load looks for a project's files. Relative paths are
// taken from the project root; empty fields mean Rasa's default layout.
type Options struct {
	// Config is config.yml (Rasa's --config).
	Config string
	// Domain is the domain file or folder (--domain). By default Load tries
	// domain.yml, domain.yaml and then a domain/ folder.
	Domain string
	// Data lists training-data files or folders (--data, may repeat).
	Data []string
	// Tests lists test-story files or folders; in a folder only files named
	// test_*.yml are read. The default is tests/.
	Tests []string
	// Endpoints and Credentials are endpoints.yml and credentials.yml.
	Endpoints   string
	Credentials string
	// DataOnly reads only the training data (Data, with the test_ files in
	// it): no config, domain, tests folder, endpoints or credentials. Config
	// then holds the defaults and Domain only the default intents plus the
	// responses found in the data.
	DataOnly bool
	// Env looks up the ${VAR} references of endpoints.yml and
	// credentials.yml; nil means os.LookupEnv.
	Env LookupEnv
}

// loader holds the state of one Load call.
type loader struct {
	root  string
	opts  Options
	p     *Project
	seen  map[string]bool
	extra []Story // rules generated from legacy constructs
	// nluResponsePos says where the responses of NLU files are defined.
	nluResponsePos map[string]Pos
}

// Load reads the project in root. It returns the project even when some
// file is wrong, together with an error listing the Error diagnostics
// (wrapping ErrInvalidProject); p.Diagnostics holds every diagnostic. An
// explicitly named path that does not exist gives an error wrapping
// ErrNotFound and no project.
func Load(root string, opts Options) (*Project, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("project root %s: %w", root, err)
	}
	if info, err := os.Stat(abs); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("%w: %s", ErrNotProject, root)
	}
	l := &loader{root: abs, opts: opts, seen: map[string]bool{}, nluResponsePos: map[string]Pos{},
		p: &Project{Root: abs, Credentials: map[string]map[string]any{}}}
	if err := l.run(); err != nil {
		return nil, err
	}
	sort.Strings(l.p.Files)
	return l.p, l.p.Diagnostics.Err()
}

func (l *loader) run() error {
	steps := []func() error{l.loadConfig, l.loadDomain, l.loadData, l.loadTests,
		l.loadEndpoints, l.loadCredentials}
	if l.opts.DataOnly {
		steps = []func() error{l.loadConfig, l.loadDomain, l.loadData}
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	l.finish()
	return nil
}

// path resolves an option against the root; explicit reports whether the
// caller named it.
func (l *loader) path(opt, def string) (string, bool) {
	if opt == "" {
		return filepath.Join(l.root, def), false
	}
	if filepath.IsAbs(opt) {
		return opt, true
	}
	return filepath.Join(l.root, opt), true
}

// rel names a file relative to the root, with forward slashes.
func (l *loader) rel(path string) string {
	r, err := filepath.Rel(l.root, path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(r)
}

// read reads a file once and records it in Project.Files.
func (l *loader) read(path string) ([]byte, *source, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, nil, err
	}
	abs, _ := filepath.Abs(path)
	if !l.seen[abs] {
		l.seen[abs] = true
		l.p.Files = append(l.p.Files, l.rel(path))
	}
	return data, newSource(l.rel(path), data, &l.p.Diagnostics), nil
}

// optional reads an optional file: a missing default is fine, a missing
// explicit one is an error.
func (l *loader) optional(opt, def string) ([]byte, *source, error) {
	path, explicit := l.path(opt, def)
	data, s, err := l.read(path)
	if errors.Is(err, ErrNotFound) && !explicit {
		return nil, nil, nil
	}
	return data, s, err
}

func (l *loader) loadConfig() error {
	var data []byte
	var s *source
	if !l.opts.DataOnly {
		var err error
		if data, s, err = l.optional(l.opts.Config, "config.yml"); err != nil {
			return err
		}
	}
	var top *yaml.Node
	if s == nil {
		s = newSource("config.yml", nil, &l.p.Diagnostics)
		if !l.opts.DataOnly {
			s.warnf(nil, "add a config.yml (parley init writes one)",
				"config.yml not found; the default pipeline and policies are used")
		}
	} else {
		top = parseYAML(s, data)
	}
	res := readConfig(s, top)
	l.p.Config = res.cfg
	l.extra = append(l.extra, res.rules...)
	return nil
}
