package project

import (
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// isNull reports whether n is missing or an explicit YAML null.
func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// pair is one key and value of a YAML mapping.
type pair struct {
	key, val *yaml.Node
}

// pairs returns the entries of mapping n (none if n is not a mapping).
func pairs(n *yaml.Node) []pair {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]pair, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, pair{n.Content[i], n.Content[i+1]})
	}
	return out
}

// lookup returns the value of key in mapping n, or nil.
func lookup(n *yaml.Node, key string) *yaml.Node {
	for _, p := range pairs(n) {
		if p.key.Value == key {
			return p.val
		}
	}
	return nil
}

// kindName names a node's shape for error messages.
func kindName(n *yaml.Node) string {
	switch {
	case isNull(n):
		return "nothing (null)"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	}
	return "text"
}

// toValue converts a node into plain Go values: string, bool, int, float64,
// nil, []any and map[string]any.
func toValue(n *yaml.Node) any {
	if isNull(n) {
		return nil
	}
	switch n.Kind {
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, toValue(c))
		}
		return out
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for _, p := range pairs(n) {
			out[p.key.Value] = toValue(p.val)
		}
		return out
	}
	return scalarValue(n)
}

func scalarValue(n *yaml.Node) any {
	switch n.Tag {
	case "!!bool":
		return strings.EqualFold(n.Value, "true")
	case "!!int":
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
			return int(i)
		}
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f
		}
	case "!!float":
		return floatValue(n.Value)
	}
	return n.Value
}

func floatValue(s string) any {
	switch strings.ToLower(s) {
	case ".inf", "+.inf":
		return math.Inf(1)
	case "-.inf":
		return math.Inf(-1)
	case ".nan":
		return math.NaN()
	}
	if f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64); err == nil {
		return f
	}
	return s
}

// mapValue converts a mapping node to map[string]any; other shapes give nil.
func mapValue(n *yaml.Node) map[string]any {
	m, _ := toValue(n).(map[string]any)
	return m
}

// text reads a scalar as text. Numbers and booleans are taken as written
// (`version: 3.1` is "3.1"). A null, list or mapping is an error.
func (s *source) text(n *yaml.Node, what string) (string, bool) {
	if isNull(n) || n.Kind != yaml.ScalarNode {
		s.errorf(n, "write "+what+" as text", "%s must be text, found %s", what, kindName(n))
		return "", false
	}
	return n.Value, true
}

// name reads a non-empty name.
func (s *source) name(n *yaml.Node, what string) (string, bool) {
	v, ok := s.text(n, what)
	if ok && strings.TrimSpace(v) == "" {
		s.errorf(n, "give "+what+" a value", "%s is empty", what)
		return "", false
	}
	return strings.TrimSpace(v), ok
}

// boolean reads true/false.
func (s *source) boolean(n *yaml.Node, what string) (bool, bool) {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		s.errorf(n, "write true or false", "%s must be true or false, found %s",
			what, describe(n))
		return false, false
	}
	return strings.EqualFold(n.Value, "true"), true
}

// number reads a number.
func (s *source) number(n *yaml.Node, what string) (float64, bool) {
	if n != nil && n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
		switch v := scalarValue(n).(type) {
		case int:
			return float64(v), true
		case float64:
			return v, true
		}
	}
	s.errorf(n, "write a number", "%s must be a number, found %s", what, describe(n))
	return 0, false
}

// describe shows a node's value (or shape) in a message.
func describe(n *yaml.Node) string {
	if n != nil && n.Kind == yaml.ScalarNode && !isNull(n) {
		return strconv.Quote(n.Value)
	}
	return kindName(n)
}

// names reads a list of names; a single name is taken as a list of one.
// Null gives an empty list.
func (s *source) names(n *yaml.Node, what string) []string {
	if isNull(n) {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		v, _ := s.name(n, what)
		return []string{v}
	}
	if n.Kind != yaml.SequenceNode {
		s.errorf(n, "write a list of names", "%s must be a list of names, found %s",
			what, kindName(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		if v, ok := s.name(c, what); ok {
			out = append(out, v)
		}
	}
	return out
}

// expectMapping reports an error unless n is a mapping (null is allowed
// when nullOK).
func (s *source) expectMapping(n *yaml.Node, what string, nullOK bool) bool {
	if nullOK && isNull(n) {
		return false
	}
	if n == nil || n.Kind != yaml.MappingNode {
		s.errorf(n, "write "+what+" as `key: value` lines", "%s must be a mapping, found %s",
			what, kindName(n))
		return false
	}
	return true
}

// expectList reports an error unless n is a list (null is allowed when
// nullOK).
func (s *source) expectList(n *yaml.Node, what string, nullOK bool) bool {
	if nullOK && isNull(n) {
		return false
	}
	if n == nil || n.Kind != yaml.SequenceNode {
		s.errorf(n, "write "+what+" as a list of `- ` items", "%s must be a list, found %s",
			what, kindName(n))
		return false
	}
	return true
}

// unknownKey reports a key that is not allowed where it stands.
func (s *source) unknownKey(k *yaml.Node, where string, allowed []string) {
	s.errorf(k, "use one of: "+strings.Join(allowed, ", "),
		"unknown key %q in %s", k.Value, where)
}
