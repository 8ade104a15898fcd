package settings

import (
	"fmt"
	"strings"
)

// SourceKind says where a value came from.
type SourceKind int

// The sources of a value, from the strongest to the weakest.
const (
	FromDefault SourceKind = iota
	FromFlag
	FromEnv
	FromFile
	FromEndpoints
	FromCredentials
)

// Source is where one value came from.
type Source struct {
	Kind SourceKind
	// Detail names the flag, variable or file: "--port", "PARLEY_PORT",
	// "/run/secrets/key (PARLEY_SECRET_KEY_FILE)", "endpoints.yml:3".
	Detail string
}

// String describes the source for `parley config`.
func (s Source) String() string {
	switch s.Kind {
	case FromFlag:
		return "flag " + s.Detail
	case FromEnv:
		return "env " + s.Detail
	case FromFile:
		return "file " + s.Detail
	case FromEndpoints, FromCredentials:
		return s.Detail
	}
	if s.Detail != "" {
		return "default (" + s.Detail + ")"
	}
	return "default"
}

// Value is one effective setting.
type Value struct {
	// Name is the setting's name as `parley config` prints it.
	Name string
	// Env is the environment variable that sets it.
	Env string
	// Text is the value as given (for paths: made absolute).
	Text string
	// Source is where Text came from.
	Source Source
	// Secret values are masked by Shown.
	Secret bool
	// Doc says what the setting does.
	Doc string
}

// Shown is the value as it may be printed: secrets are replaced by a mask
// that tells only whether they are set and how long they are.
func (v Value) Shown() string {
	if v.Text == "" {
		return "(not set)"
	}
	if v.Secret {
		return Mask(v.Text)
	}
	return v.Text
}

// Mask hides a secret: no character of it is shown, only its length.
func Mask(secret string) string {
	if secret == "" {
		return "(not set)"
	}
	return fmt.Sprintf("******** (%d bytes)", len(secret))
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
