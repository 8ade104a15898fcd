package project

import (
	"errors"
	"fmt"
	"strings"
)

// Severity says whether a diagnostic stops loading.
type Severity int

const (
	// Warning lets loading go on; training and serving still work.
	Warning Severity = iota
	// Error stops loading: the project cannot be used until it is fixed.
	Error
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Pos is a place in a project file. Line and Column count from 1; zero means
// unknown (for example a whole-file problem).
type Pos struct {
	File   string
	Line   int
	Column int
}

func (p Pos) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line == 0:
		return p.File
	case p.Column == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Diagnostic is one error or warning about a project file, with where it is
// and how to fix it.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	Message  string
	// Hint says how to fix the problem; it may be empty.
	Hint string
}

func (d Diagnostic) String() string {
	var b strings.Builder
	if s := d.Pos.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	b.WriteString(d.Severity.String())
	b.WriteString(": ")
	b.WriteString(d.Message)
	if d.Hint != "" {
		b.WriteString(" (fix: ")
		b.WriteString(d.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// Diagnostics is the list of problems found while loading a project.
type Diagnostics []Diagnostic

// Errors returns only the diagnostics of severity Error.
func (ds Diagnostics) Errors() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// Warnings returns only the diagnostics of severity Warning.
func (ds Diagnostics) Warnings() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == Warning {
			out = append(out, d)
		}
	}
	return out
}

// Err returns an error listing every Error diagnostic, or nil when there is
// none. The error wraps ErrInvalidProject.
func (ds Diagnostics) Err() error {
	errs := ds.Errors()
	if len(errs) == 0 {
		return nil
	}
	lines := make([]string, len(errs))
	for i, d := range errs {
		lines[i] = d.String()
	}
	return fmt.Errorf("%w:\n%s", ErrInvalidProject, strings.Join(lines, "\n"))
}

// ErrInvalidProject is wrapped by every error that Load returns because a
// project file is wrong.
var ErrInvalidProject = errors.New("invalid project")
