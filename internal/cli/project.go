package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/policy"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/starter"
)

// projectFlags say where a project's files are, as Rasa's flags do. Empty
// fields mean the default place in the project folder.
type projectFlags struct {
	config      string
	domain      string
	data        []string
	endpoints   string
	credentials string
	// tests is the test stories file or folder; empty means tests/.
	tests string
}

// addTraining adds -c/--config, -d/--domain and --data.
func (f *projectFlags) addTraining(fs *pflag.FlagSet) {
	fs.StringVarP(&f.config, "config", "c", "config.yml",
		"the pipeline and policies configuration file")
	fs.StringVarP(&f.domain, "domain", "d", "domain.yml", "the domain file or folder")
	fs.StringSliceVar(&f.data, "data", []string{"data"},
		"files or folders with NLU data, stories and rules")
}

// addEndpoints adds --endpoints.
func (f *projectFlags) addEndpoints(fs *pflag.FlagSet) {
	fs.StringVar(&f.endpoints, "endpoints", "endpoints.yml",
		"the endpoints file (action server, tracker store, ...)")
}

// addCredentials adds --credentials.
func (f *projectFlags) addCredentials(fs *pflag.FlagSet) {
	fs.StringVar(&f.credentials, "credentials", "credentials.yml",
		"the channel credentials file; the REST channel is always on")
}

// resolve makes path absolute against the project folder.
func (a *app) resolve(path string) string {
	if path == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(a.env.Dir, path)
}

// resolveSet resolves a path flag, or returns "" when it holds its default,
// so that the loader applies Rasa's default layout (where a missing
// endpoints.yml, say, is no error).
func (a *app) resolveSet(path, def string) string {
	if path == def || path == "" {
		return ""
	}
	return a.resolve(path)
}

// loadProject reads the project the flags point at, prints its warnings,
// and returns it; on errors it returns an error listing them.
func (a *app) loadProject(f *projectFlags) (*project.Project, error) {
	opts := loadOptions{
		Config:      a.resolveSet(f.config, "config.yml"),
		Domain:      a.resolveSet(f.domain, "domain.yml"),
		Endpoints:   a.resolveSet(f.endpoints, "endpoints.yml"),
		Credentials: a.resolveSet(f.credentials, "credentials.yml"),
		Tests:       a.resolveSet(f.tests, "tests"),
	}
	if !slices.Equal(f.data, []string{"data"}) {
		for _, d := range f.data {
			opts.Data = append(opts.Data, a.resolve(d))
		}
	}
	p, err := readProject(a.env.Dir, opts)
	if p != nil {
		printDiagnostics(a.env.Stderr, p.Diagnostics.Warnings())
	}
	if err != nil {
		return nil, fmt.Errorf("the project in %s cannot be used: %w", a.env.Dir, err)
	}
	return p, nil
}

// printDiagnostics writes one line per diagnostic.
func printDiagnostics(w io.Writer, ds project.Diagnostics) {
	for _, d := range ds {
		fmt.Fprintln(w, d.String())
	}
}

// relToProject shows path relative to the project folder when inside it.
func (a *app) relToProject(path string) string {
	rel, err := filepath.Rel(a.env.Dir, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return path
	}
	return rel
}

// loadOptions are the absolute paths a project is read from.
type loadOptions struct {
	Config      string
	Domain      string
	Data        []string
	Endpoints   string
	Credentials string
	// Tests is the test stories folder or file; empty means tests/.
	Tests string
}

// readProject reads the project in root.
func readProject(root string, opts loadOptions) (*project.Project, error) {
	po := project.Options{Config: opts.Config, Domain: opts.Domain, Data: opts.Data,
		Endpoints: opts.Endpoints, Credentials: opts.Credentials}
	if opts.Tests != "" {
		po.Tests = []string{opts.Tests}
	}
	return project.Load(root, po)
}

// writeStarter writes the starter project into dir.
func writeStarter(dir string, force bool) error {
	if err := starter.Write(dir, force); err != nil {
		if errors.Is(err, starter.ErrExists) {
			return fmt.Errorf("%w (use --force to overwrite them)", err)
		}
		return err
	}
	return nil
}

// validateProject runs the checks of `parley data validate` beyond loading:
// the project's own checks, the NLU pipeline's options as training reads
// them, then rules that contradict stories or rules.
func validateProject(p *project.Project) project.Diagnostics {
	ds := append(project.Validate(p), pipeline.CheckConfig(p.Config)...)
	return append(ds, policy.Contradictions(p)...)
}
