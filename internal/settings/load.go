package settings

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Input is what Load reads.
type Input struct {
	// Dir is the project folder; relative paths resolve against it.
	Dir string
	// Flags are the command-line flags that were given, by flag name
	// ("port", "auth-token", "cors" as a comma-separated list, ...). FlagsOf
	// builds it from a parsed flag set. The "endpoints" and "credentials"
	// flags choose the Rasa files.
	Flags map[string]string
	// LookupEnv reads the environment; nil means os.LookupEnv.
	LookupEnv func(name string) (string, bool)
	// ReadFile reads secret files; nil means os.ReadFile.
	ReadFile func(path string) ([]byte, error)
	// InContainer says whether Parley runs in a container; Load does not
	// guess it (InContainer below does).
	InContainer bool
}

// FileSuffix turns a secret's variable into the one naming a file that
// holds it: PARLEY_SECRET_KEY_FILE.
const FileSuffix = "_FILE"

// Load works out the effective settings. It reports every value that
// cannot be used at once, one line each, wrapping ErrInvalid.
func Load(in Input) (*Settings, error) {
	if in.LookupEnv == nil {
		in.LookupEnv = os.LookupEnv
	}
	if in.ReadFile == nil {
		in.ReadFile = os.ReadFile
	}
	s := &Settings{dir: in.Dir, InContainer: in.InContainer, Mode: Development}
	rasa, errs := readRasaFiles(in)
	// The mode comes first: it chooses the other defaults.
	for _, sp := range specs {
		v, err := resolve(in, sp, rasa, s.Mode)
		if err == nil {
			err = sp.apply(s, v.Text)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: %s (%s): %w", ErrInvalid, sp.name, v.Source, err))
		}
		s.values = append(s.values, v)
	}
	return s, errors.Join(errs...)
}

// resolve finds the text of one setting and its source.
func resolve(in Input, sp spec, rasa map[string]Value, mode Mode) (Value, error) {
	v := Value{Name: sp.name, Env: sp.env, Secret: sp.secret, Doc: sp.doc}
	var err error
	switch {
	case fromFlag(in, sp, &v):
	case fromEnv(in, sp, &v):
		err = checkNotBoth(in, sp)
	case sp.secret && in.hasEnv(sp.env+FileSuffix):
		err = fromSecretFile(in, sp, &v)
	case rasa[sp.name].Text != "":
		r := rasa[sp.name]
		v.Text, v.Source = r.Text, r.Source
	default:
		v.Text = sp.defaultFor(mode)
		if sp.devDef != "" {
			v.Source.Detail = string(mode)
		}
	}
	if sp.path {
		v.Text = resolvePath(in.Dir, v.Text)
	}
	return v, err
}

// fromFlag takes the first of the setting's flags that was given.
func fromFlag(in Input, sp spec, v *Value) bool {
	for _, name := range sp.flags {
		raw, ok := in.Flags[name]
		if !ok {
			continue
		}
		v.Text = raw
		if sp.flagValue != nil {
			v.Text = sp.flagValue(name, raw)
		}
		v.Source = Source{Kind: FromFlag, Detail: "--" + name}
		return true
	}
	return false
}

// fromEnv takes the setting's environment variable when it is set.
func fromEnv(in Input, sp spec, v *Value) bool {
	if sp.env == "" {
		return false
	}
	text, ok := in.LookupEnv(sp.env)
	if !ok {
		return false
	}
	v.Text = text
	v.Source = Source{Kind: FromEnv, Detail: sp.env}
	return true
}

// checkNotBoth refuses a secret given both directly and as a file.
func checkNotBoth(in Input, sp spec) error {
	if sp.secret && in.hasEnv(sp.env+FileSuffix) {
		return fmt.Errorf("both %s and %s%s are set: keep only one", sp.env, sp.env, FileSuffix)
	}
	return nil
}

// fromSecretFile reads a secret from the file <env>_FILE names. One
// trailing newline (as editors and `echo` leave) is dropped.
func fromSecretFile(in Input, sp spec, v *Value) error {
	fileVar := sp.env + FileSuffix
	path, _ := in.LookupEnv(fileVar)
	path = resolvePath(in.Dir, path)
	v.Source = Source{Kind: FromFile, Detail: path + " (" + fileVar + ")"}
	data, err := in.ReadFile(path)
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("cannot read the secret file %s named by %s: %w (Parley runs as "+
			"uid %d: make the file readable by it; compose mounts secret files with their host "+
			"owner and mode, so chmod 0444 the file and keep its folder closed)", path, fileVar,
			err, os.Getuid())
	}
	if err != nil {
		return fmt.Errorf("cannot read the secret file %s named by %s: %w "+
			"(with Docker secrets the file is /run/secrets/<secret name>)", path, fileVar, err)
	}
	text := strings.TrimSuffix(strings.TrimSuffix(string(data), "\n"), "\r")
	if text == "" {
		return fmt.Errorf("the secret file %s named by %s is empty", path, fileVar)
	}
	v.Text = text
	return nil
}

// hasEnv reports whether the variable is set to something.
func (in Input) hasEnv(name string) bool {
	v, ok := in.LookupEnv(name)
	return ok && v != ""
}

// InContainer guesses whether this process runs in a container: Docker and
// Podman leave a marker file at the root.
func InContainer() bool {
	for _, marker := range []string{"/.dockerenv", "/run/.containerenv"} {
		if _, err := os.Stat(marker); err == nil {
			return true
		}
	}
	return false
}
