package settings

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/parley-chat/parley/internal/project"
)

// readRasaFiles reads the settings that endpoints.yml and credentials.yml
// hold: the action server URL, the tracker store type and the channels.
// ${VAR} references are expanded by the project loader with in.LookupEnv.
// A file that is missing at its default place is no error.
func readRasaFiles(in Input) (map[string]Value, []error) {
	out := map[string]Value{}
	var errs []error
	endpoints, given := rasaPath(in, "endpoints", "endpoints.yml")
	e, _, err := project.LoadEndpointsFile(endpoints, in.LookupEnv)
	switch {
	case err == nil:
		readEndpointSettings(in, endpoints, e, out)
	case given || !errors.Is(err, project.ErrNotFound):
		errs = append(errs, fmt.Errorf("%w: %w", ErrInvalid, err))
	}
	credentials, given := rasaPath(in, "credentials", "credentials.yml")
	c, _, err := project.LoadCredentialsFile(credentials, in.LookupEnv)
	switch {
	case err == nil:
		readChannels(in, credentials, c, out)
	case given || !errors.Is(err, project.ErrNotFound):
		errs = append(errs, fmt.Errorf("%w: %w", ErrInvalid, err))
	}
	return out, errs
}

// rasaPath returns the path of a Rasa file and whether a flag named it.
func rasaPath(in Input, flag, def string) (string, bool) {
	if p, ok := in.Flags[flag]; ok && p != "" {
		return resolvePath(in.Dir, p), true
	}
	return resolvePath(in.Dir, def), false
}

// readEndpointSettings takes action_endpoint.url and tracker_store.type.
func readEndpointSettings(in Input, path string, e project.Endpoints, out map[string]Value) {
	if url, ok := e.Action["url"].(string); ok && url != "" {
		out["action_endpoint"] = Value{Text: url,
			Source: rasaSource(in, FromEndpoints, path, e.Pos["action_endpoint"].Line)}
	}
	if typ, ok := e.TrackerStore["type"].(string); ok && typ != "" {
		out["tracker_store"] = Value{Text: typ,
			Source: rasaSource(in, FromEndpoints, path, e.Pos["tracker_store"].Line)}
	}
}

// servedChannels are the channels of credentials.yml that Parley has; rest
// is served whatever the file lists.
var servedChannels = []string{"rest", "socketio", "callback"}

// readChannels lists the channels that will be served from credentials.yml
// (rest always), and the ones listed there that Parley ignores.
func readChannels(in Input, path string, c map[string]map[string]any, out map[string]Value) {
	if len(c) == 0 {
		return
	}
	served, ignored := []string{"rest"}, []string(nil)
	for name := range c {
		switch {
		case name == "rest":
		case slices.Contains(servedChannels, name):
			served = append(served, name)
		default:
			ignored = append(ignored, name)
		}
	}
	slices.Sort(served[1:])
	slices.Sort(ignored)
	text := strings.Join(served, ",")
	if len(ignored) > 0 {
		text += " (ignored: " + strings.Join(ignored, ",") + ")"
	}
	out["channels"] = Value{Text: text, Source: rasaSource(in, FromCredentials, path, 0)}
}

// rasaSource names a Rasa file (relative to the project when inside it)
// and the line of the section, when known.
func rasaSource(in Input, kind SourceKind, path string, line int) Source {
	name := path
	if rel, err := filepath.Rel(in.Dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		name = rel
	}
	if line > 0 {
		name += ":" + strconv.Itoa(line)
	}
	return Source{Kind: kind, Detail: name}
}
