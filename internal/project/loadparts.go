package project

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/parley-chat/parley/internal/domain"
)

func (l *loader) loadDomain() error {
	if l.opts.DataOnly {
		l.setDomain(mergeDomains(nil))
		return nil
	}
	path, explicit := l.path(l.opts.Domain, "domain.yml")
	if !explicit {
		path = l.findDomain()
	}
	if path == "" {
		l.p.Diagnostics = append(l.p.Diagnostics, Diagnostic{Pos: Pos{File: "domain.yml"},
			Severity: Warning, Hint: "add a domain.yml (parley init writes one)",
			Message: "no domain.yml, domain.yaml or domain/ folder found; only an NLU " +
				"model can be trained"})
		l.setDomain(mergeDomains(nil))
		return nil
	}
	m, files, err := loadDomain(path, l.rel, &l.p.Diagnostics)
	if err != nil {
		return err
	}
	for _, f := range files {
		if _, _, err := l.read(f); err != nil {
			return err
		}
	}
	l.setDomain(m)
	return nil
}

// findDomain returns the first of domain.yml, domain.yaml and domain/ that
// exists, or "".
func (l *loader) findDomain() string {
	for _, name := range []string{"domain.yml", "domain.yaml", "domain"} {
		p := filepath.Join(l.root, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

func (l *loader) setDomain(m mergedDomain) {
	l.p.Domain = m.dom
	l.p.DomainPos = m.pos
	l.extra = append(l.extra, m.rules...)
}

// loadData reads every YAML and JSON file under the data paths. Files named
// test_* hold test stories, as in Rasa.
func (l *loader) loadData() error {
	paths := l.opts.Data
	explicit := len(paths) > 0
	if !explicit {
		paths = []string{"data"}
	}
	for _, opt := range paths {
		path, _ := l.path(opt, "")
		files, err := dataFiles(path, ".yml", ".yaml", ".json")
		if errors.Is(err, ErrNotFound) && !explicit {
			l.p.Diagnostics = append(l.p.Diagnostics, Diagnostic{Pos: Pos{File: "data"},
				Severity: Warning, Hint: "put the NLU data, stories and rules under data/",
				Message: "the data/ folder was not found; there is no training data"})
			return nil
		}
		if err != nil {
			return err
		}
		if err := l.readDataFiles(files); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) readDataFiles(files []string) error {
	for _, f := range files {
		// A test file already read with the training data has its test
		// stories in; a training file named as tests (--stories
		// data/stories.yml) is read again for its stories.
		if abs, _ := filepath.Abs(f); l.seen[abs] && isTestFile(f) {
			continue
		}
		data, s, err := l.read(f)
		if err != nil {
			return err
		}
		td := readDataBytes(s, data)
		l.addData(td)
	}
	return nil
}

func (l *loader) addData(td *TrainingData) {
	p := l.p
	n := &p.NLU
	n.Examples = append(n.Examples, td.NLU.Examples...)
	n.Synonyms = append(n.Synonyms, td.NLU.Synonyms...)
	n.Regexes = append(n.Regexes, td.NLU.Regexes...)
	n.Lookups = append(n.Lookups, td.NLU.Lookups...)
	for name, vs := range td.NLU.Responses {
		if n.Responses == nil {
			n.Responses = map[string][]domain.Response{}
		}
		n.Responses[name] = append(n.Responses[name], vs...)
	}
	for name, pos := range td.ResponsePos {
		if _, dup := p.DomainPos.Responses[name]; !dup {
			l.nluResponsePos[name] = pos
		}
	}
	p.Stories = append(p.Stories, td.Stories...)
	p.Rules = append(p.Rules, td.Rules...)
	p.TestStories = append(p.TestStories, td.TestStories...)
}

// loadTests reads the test stories: every test_*.yml under tests/, or the
// stories of every file and folder named explicitly.
func (l *loader) loadTests() error {
	paths := l.opts.Tests
	explicit := len(paths) > 0
	if !explicit {
		paths = []string{"tests"}
	}
	for _, opt := range paths {
		path, _ := l.path(opt, "")
		info, err := os.Stat(path)
		if err != nil && !explicit {
			continue
		}
		files, err := yamlFiles(path)
		if err != nil {
			return err
		}
		if info.IsDir() && !explicit {
			// tests/ holds test_*.yml; a folder named with --stories is
			// read whole, training stories included, as Rasa does.
			files = testFilesOnly(files)
		}
		if err := l.readTestFiles(files); err != nil {
			return err
		}
	}
	return nil
}

func testFilesOnly(files []string) []string {
	var out []string
	for _, f := range files {
		if isTestFile(f) {
			out = append(out, f)
		}
	}
	return out
}

func (l *loader) readTestFiles(files []string) error {
	for _, f := range files {
		// A test file already read with the training data has its test
		// stories in; a training file named as tests (--stories
		// data/stories.yml) is read again for its stories.
		if abs, _ := filepath.Abs(f); l.seen[abs] && isTestFile(f) {
			continue
		}
		data, s, err := l.read(f)
		if err != nil {
			return err
		}
		td := readDataBytes(s, data)
		// A test file named explicitly need not start with test_.
		l.p.TestStories = append(l.p.TestStories, td.TestStories...)
		for _, st := range append(td.Stories, td.Rules...) {
			st.Kind = KindTest
			l.p.TestStories = append(l.p.TestStories, st)
		}
	}
	return nil
}

func (l *loader) loadEndpoints() error {
	data, s, err := l.optional(l.opts.Endpoints, "endpoints.yml")
	if err != nil || s == nil {
		return err
	}
	l.p.Endpoints = readEndpoints(s, parseYAML(s, data), envOrOS(l.opts.Env))
	return nil
}

func (l *loader) loadCredentials() error {
	data, s, err := l.optional(l.opts.Credentials, "credentials.yml")
	if err != nil || s == nil {
		return err
	}
	l.p.Credentials = readCredentials(s, parseYAML(s, data), envOrOS(l.opts.Env))
	return nil
}
