package storeconfig

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/parley-chat/parley/internal/project"
)

// section reads the keys of one endpoints.yml section and remembers which
// were read, so that unknown keys can be reported.
type section struct {
	name string
	pos  project.Pos
	m    map[string]any
	read map[string]bool
}

// newSection wraps the map of section name, found at pos.
func newSection(name string, pos project.Pos, m map[string]any) *section {
	return &section{name: name, pos: pos, m: m, read: map[string]bool{}}
}

// where names the section for messages: "endpoints.yml:4:1 tracker_store".
func (s *section) where() string {
	if p := s.pos.String(); p != "" {
		return p + " " + s.name
	}
	return "endpoints.yml " + s.name
}

// errorf returns an ErrBadSetting error about key.
func (s *section) errorf(key, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s: %s", ErrBadSetting, s.where(), key, fmt.Sprintf(format, args...))
}

// value returns key's value, nil when missing or null.
func (s *section) value(key string) any {
	s.read[key] = true
	return s.m[key]
}

// str reads a text value; numbers are taken as written.
func (s *section) str(key, def string) (string, error) {
	switch v := s.value(key).(type) {
	case nil:
		return def, nil
	case string:
		return v, nil
	case int, float64, bool:
		return fmt.Sprint(v), nil
	default:
		return "", s.errorf(key, "must be text, not %T", v)
	}
}

// integer reads a whole number, written as a number or as text.
func (s *section) integer(key string, def int) (int, error) {
	switch v := s.value(key).(type) {
	case nil:
		return def, nil
	case int:
		return v, nil
	case float64:
		if v == math.Trunc(v) {
			return int(v), nil
		}
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			return n, nil
		}
	}
	return 0, s.errorf(key, "must be a whole number, not %v", s.m[key])
}

// seconds reads a number of seconds, whole or not.
func (s *section) seconds(key string) (float64, error) {
	switch v := s.value(key).(type) {
	case nil:
		return 0, nil
	case int:
		return float64(v), nil
	case float64:
		return v, nil
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			return f, nil
		}
	}
	return 0, s.errorf(key, "must be a number of seconds, not %v", s.m[key])
}

// boolean reads true or false, written as a boolean or as text.
func (s *section) boolean(key string, def bool) (bool, error) {
	switch v := s.value(key).(type) {
	case nil:
		return def, nil
	case bool:
		return v, nil
	case string:
		if b, err := strconv.ParseBool(strings.TrimSpace(v)); err == nil {
			return b, nil
		}
	}
	return false, s.errorf(key, "must be true or false, not %v", s.m[key])
}

// list reads a list of texts; a single text, or a comma-separated one,
// is a list too.
func (s *section) list(key string) ([]string, error) {
	switch v := s.value(key).(type) {
	case nil:
		return nil, nil
	case string:
		var out []string
		for part := range strings.SplitSeq(v, ",") {
			if p := strings.TrimSpace(part); p != "" {
				out = append(out, p)
			}
		}
		return out, nil
	case []string:
		return slices.Clone(v), nil
	case []any:
		out := make([]string, 0, len(v))
		for _, item := range v {
			text, ok := item.(string)
			if !ok {
				return nil, s.errorf(key, "must be a list of texts; %v is not text", item)
			}
			out = append(out, text)
		}
		return out, nil
	default:
		return nil, s.errorf(key, "must be a list, not %T", v)
	}
}

// mapping reads a mapping of texts (numbers and booleans as written).
func (s *section) mapping(key string) (map[string]string, error) {
	switch v := s.value(key).(type) {
	case nil:
		return nil, nil
	case map[string]any:
		out := make(map[string]string, len(v))
		for k, item := range v {
			out[k] = fmt.Sprint(item)
		}
		return out, nil
	default:
		return nil, s.errorf(key, "must be a mapping, not %T", v)
	}
}

// unknown lists the keys that were never read, sorted.
func (s *section) unknown() []string {
	var out []string
	for k := range s.m {
		if !s.read[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
