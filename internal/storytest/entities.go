package storytest

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/project"
)

// entityKey is what Rasa's evaluation compares of an entity: the span in
// code points, the type and the value written as a string.
type entityKey struct {
	start, end int
	entity     string
	value      string
}

// sameEntities reports whether the entities the NLU found in text are the
// ones the story annotates. Roles, groups and confidences are not
// compared, as in Rasa. Rasa compares the two lists in order; Parley sorts
// both by position first, because its extractors do not run in the
// config's order (Duckling's entities come last).
func sameEntities(text string, gold []project.EntityAnnotation, got []nlu.Entity) bool {
	return slices.Equal(goldKeys(text, gold), predictedKeys(got))
}

// offsetRe is the UTC offset that ends a Duckling time value.
var offsetRe = regexp.MustCompile(`[+-]\d\d:\d\d\b`)

// sameButZone reports whether the entities differ only in the UTC offsets
// of their time values: the story was recorded in another time zone.
func sameButZone(text string, gold []project.EntityAnnotation, got []nlu.Entity) bool {
	g, p := goldKeys(text, gold), predictedKeys(got)
	if slices.Equal(g, p) || len(g) != len(p) {
		return false
	}
	strip := func(keys []entityKey) []entityKey {
		out := make([]entityKey, len(keys))
		for i, k := range keys {
			k.value = offsetRe.ReplaceAllString(k.value, "")
			out[i] = k
		}
		return out
	}
	return slices.Equal(strip(g), strip(p))
}

func goldKeys(text string, gold []project.EntityAnnotation) []entityKey {
	keys := make([]entityKey, 0, len(gold))
	for _, a := range gold {
		start, end := runeOffset(text, a.Start), runeOffset(text, a.End)
		keys = append(keys, entityKey{start: start, end: end, entity: a.Entity, value: a.Value})
	}
	sortKeys(keys)
	return keys
}

func predictedKeys(got []nlu.Entity) []entityKey {
	keys := make([]entityKey, 0, len(got))
	for _, e := range got {
		keys = append(keys, entityKey{start: e.Start, end: e.End, entity: e.Entity,
			value: valueString(e.Value)})
	}
	sortKeys(keys)
	return keys
}

func sortKeys(keys []entityKey) {
	slices.SortFunc(keys, func(a, b entityKey) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end),
			strings.Compare(a.entity, b.entity), strings.Compare(a.value, b.value))
	})
}

// runeOffset turns a byte offset of text into a code point offset.
func runeOffset(text string, i int) int {
	if i <= 0 {
		return 0
	}
	if i >= len(text) {
		return utf8.RuneCountInString(text)
	}
	return utf8.RuneCountInString(text[:i])
}

// byteOffset turns a code point offset of text into a byte offset.
func byteOffset(text string, r int) int {
	n := 0
	for i := range text {
		if n == r {
			return i
		}
		n++
	}
	return len(text)
}

// valueString writes an extracted value as Rasa's evaluation sees it: the
// story's values are strings, so Rasa compares str(value) of an extracted
// one. A Duckling number arrives as a JSON integer when it is whole ("5"),
// a time interval as a Python dict ("{'to': ..., 'from': ...}").
func valueString(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case string:
		return x
	case bool:
		if x {
			return "True"
		}
		return "False"
	case float64:
		return numberString(x)
	case float32:
		return numberString(float64(x))
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case map[string]any:
		return dictString(x)
	default:
		return fmt.Sprint(v)
	}
}

// numberString writes a number as Python prints what a Duckling server's
// JSON gave it: a whole number is written as an integer however large
// (its shortest digits, then zeros), others in Python's shortest form.
func numberString(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	if f == 0 {
		return "0"
	}
	if f == math.Trunc(f) {
		return wholeString(f)
	}
	if abs := math.Abs(f); abs >= 1e-4 && abs < 1e16 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	// Go writes exponents as Python does: 1.5e-05.
	return strconv.FormatFloat(f, 'e', -1, 64)
}

// wholeString writes a whole number in full: 3e25 is a 3 and 25 zeros.
func wholeString(f float64) string {
	m, e, _ := strings.Cut(strconv.FormatFloat(f, 'e', -1, 64), "e")
	exp, _ := strconv.Atoi(e)
	sign := ""
	if strings.HasPrefix(m, "-") {
		sign, m = "-", m[1:]
	}
	intPart, frac, _ := strings.Cut(m, ".")
	digits := intPart + frac
	exp -= len(frac)
	if exp >= 0 {
		return sign + digits + strings.Repeat("0", exp)
	}
	return sign + digits[:len(digits)+exp]
}

// dictString writes a map as Python's str of a dict. Rasa's Duckling
// extractor builds an interval's value with "to" before "from"; other keys
// follow in sorted order.
func dictString(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(keyRank(a), keyRank(b)), strings.Compare(a, b))
	})
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, pyRepr(k)+": "+pyReprValue(m[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func keyRank(k string) int {
	switch k {
	case "to":
		return 0
	case "from":
		return 1
	}
	return 2
}

// pyReprValue is Python's repr of a value inside a dict.
func pyReprValue(v any) string {
	if s, ok := v.(string); ok {
		return pyRepr(s)
	}
	return valueString(v)
}

// pyRepr quotes a string as Python's repr does for plain text.
func pyRepr(s string) string {
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		return `"` + strings.ReplaceAll(s, `\`, `\\`) + `"`
	}
	r := strings.NewReplacer(`\`, `\\`, "'", `\'`, "\n", `\n`, "\t", `\t`)
	return "'" + r.Replace(s) + "'"
}

// predictedAnnotations writes the NLU's entities as story annotations over
// text, for the "# predicted:" comment of a wrong user step.
func predictedAnnotations(text string, got []nlu.Entity) []project.EntityAnnotation {
	out := make([]project.EntityAnnotation, 0, len(got))
	for _, e := range got {
		start, end := byteOffset(text, e.Start), byteOffset(text, e.End)
		if start > end {
			continue
		}
		out = append(out, project.EntityAnnotation{Start: start, End: end, Entity: e.Entity,
			Value: valueString(e.Value), Role: e.Role, Group: e.Group})
	}
	return out
}
