package project

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// LookupEnv finds an environment variable, like os.LookupEnv.
type LookupEnv func(name string) (string, bool)

// endpointSections maps the keys of endpoints.yml to the fields of
// Endpoints.
var endpointSections = []string{"action_endpoint", "models", "nlg", "tracker_store",
	"lock_store", "event_broker"}

var envRe = regexp.MustCompile(`\$\{([^}]*)\}`)

// expandEnv replaces ${NAME} in every text value with the environment
// variable NAME, as Rasa does in endpoints.yml and credentials.yml. A
// variable that is not set is an error.
func expandEnv(s *source, n *yaml.Node, env LookupEnv) {
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && strings.Contains(n.Value, "${") {
		n.Value = envRe.ReplaceAllStringFunc(n.Value, func(m string) string {
			name := strings.TrimSpace(m[2 : len(m)-1])
			v, ok := env(name)
			if !ok {
				s.errorf(n, "set the environment variable "+name+" before starting Parley",
					"environment variable %q used here is not set", name)
			}
			return v
		})
		return
	}
	for i, c := range n.Content {
		if n.Kind == yaml.MappingNode && i%2 == 0 {
			continue // keys are not expanded
		}
		expandEnv(s, c, env)
	}
}

// readEndpoints reads the top node of endpoints.yml.
func readEndpoints(s *source, top *yaml.Node, env LookupEnv) Endpoints {
	e := Endpoints{Pos: map[string]Pos{}}
	if top == nil || !s.expectMapping(top, "endpoints.yml", false) {
		return e
	}
	expandEnv(s, top, env)
	for _, p := range pairs(top) {
		key := p.key.Value
		if key == "version" {
			continue
		}
		if !contains(endpointSections, key) {
			s.warnf(p.key, "use one of "+strings.Join(endpointSections, ", "),
				"unknown section %q in endpoints.yml is ignored", key)
			continue
		}
		if !s.expectMapping(p.val, key, true) {
			continue
		}
		e.Pos[key] = s.pos(p.key)
		*e.section(key) = mapValue(p.val)
	}
	return e
}

func (e *Endpoints) section(key string) *map[string]any {
	switch key {
	case "action_endpoint":
		return &e.Action
	case "models":
		return &e.Models
	case "nlg":
		return &e.NLG
	case "tracker_store":
		return &e.TrackerStore
	case "lock_store":
		return &e.LockStore
	}
	return &e.EventBroker
}

// readCredentials reads the top node of credentials.yml: one mapping per
// channel. A channel written with no settings (`rest:`) gets an empty map.
func readCredentials(s *source, top *yaml.Node, env LookupEnv) map[string]map[string]any {
	out := map[string]map[string]any{}
	if top == nil || !s.expectMapping(top, "credentials.yml", false) {
		return out
	}
	expandEnv(s, top, env)
	for _, p := range pairs(top) {
		if p.key.Value == "version" {
			continue
		}
		if !s.expectMapping(p.val, "channel "+p.key.Value, true) {
			if isNull(p.val) {
				out[p.key.Value] = map[string]any{}
			}
			continue
		}
		out[p.key.Value] = mapValue(p.val)
	}
	return out
}
