package server

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// match reports how got differs from want, "" when it does not. want is a
// JSON pattern from a contract fixture:
//   - "<any>", "<string>", "<number>", "<bool>", "<array>", "<object>",
//     "<null>" match by kind; "<nonempty>" any non-empty string;
//   - "<prefix:abc>" a string starting with abc;
//   - an object matches an object with exactly its keys, or at least its
//     keys when it has the key "...";
//   - an array matches element by element, or as a prefix when its last
//     element is "...";
//   - anything else must be equal.
func match(path string, want, got any) string {
	if s, ok := want.(string); ok && strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		return matchKind(path, s[1:len(s)-1], got)
	}
	switch w := want.(type) {
	case map[string]any:
		return matchObject(path, w, got)
	case []any:
		return matchArray(path, w, got)
	}
	if !equalJSON(want, got) {
		return fmt.Sprintf("%s: want %s, got %s", path, show(want), show(got))
	}
	return ""
}

func matchKind(path, kind string, got any) string {
	ok := false
	switch kind {
	case "any":
		ok = true
	case "string":
		_, ok = got.(string)
	case "nonempty":
		s, _ := got.(string)
		ok = s != ""
	case "number":
		_, ok = got.(float64)
	case "bool":
		_, ok = got.(bool)
	case "array":
		_, ok = got.([]any)
	case "object":
		_, ok = got.(map[string]any)
	case "null":
		ok = got == nil
	default:
		prefix, isPrefix := strings.CutPrefix(kind, "prefix:")
		s, _ := got.(string)
		ok = isPrefix && strings.HasPrefix(s, prefix)
	}
	if !ok {
		return fmt.Sprintf("%s: want <%s>, got %s", path, kind, show(got))
	}
	return ""
}

func matchObject(path string, want map[string]any, got any) string {
	g, ok := got.(map[string]any)
	if !ok {
		return fmt.Sprintf("%s: want an object, got %s", path, show(got))
	}
	_, open := want["..."]
	var keys []string
	for k := range g {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if _, ok := want[k]; !ok && !open {
			return fmt.Sprintf("%s: unexpected key %q (value %s)", path, k, show(g[k]))
		}
	}
	for k, w := range want {
		if k == "..." {
			continue
		}
		v, ok := g[k]
		if !ok {
			return fmt.Sprintf("%s: missing key %q", path, k)
		}
		if d := match(path+"."+k, w, v); d != "" {
			return d
		}
	}
	return ""
}

func matchArray(path string, want []any, got any) string {
	g, ok := got.([]any)
	if !ok {
		return fmt.Sprintf("%s: want an array, got %s", path, show(got))
	}
	prefix := len(want) > 0 && want[len(want)-1] == "..."
	if prefix {
		want = want[:len(want)-1]
	}
	if len(g) < len(want) || !prefix && len(g) != len(want) {
		return fmt.Sprintf("%s: want %d elements, got %d: %s", path, len(want), len(g), show(g))
	}
	for i, w := range want {
		if d := match(fmt.Sprintf("%s[%d]", path, i), w, g[i]); d != "" {
			return d
		}
	}
	return ""
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func show(v any) string {
	data, _ := json.Marshal(v)
	if len(data) > 300 {
		return string(data[:300]) + "..."
	}
	return string(data)
}
