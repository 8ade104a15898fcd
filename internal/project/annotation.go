package project

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// AnnotationProblem is a mistake in the inline entity annotations of one
// message. Offset is the byte offset in the annotated input where it starts.
type AnnotationProblem struct {
	Offset   int
	Severity Severity
	Message  string
	Hint     string
}

// ParseAnnotations reads the inline entity annotations of a training
// message and returns the text without them, the entities (BYTE offsets into
// the returned text) and any problems. It understands the four Rasa forms:
//
//	[text](entity)   [text](entity:value)
//	[text]{"entity": "e", "role": "r", "group": "g", "value": "v"}
//	[text][{"entity": "e1"}, {"entity": "e2", "role": "r"}]
//
// A broken annotation is left in the text as written and reported.
func ParseAnnotations(text string) (string, []EntityAnnotation, []AnnotationProblem) {
	p := annotationParser{in: text}
	p.run()
	return p.out.String(), p.ents, p.problems
}

type annotationParser struct {
	in       string
	out      strings.Builder
	ents     []EntityAnnotation
	problems []AnnotationProblem
}

func (p *annotationParser) run() {
	i := 0
	for i < len(p.in) {
		if p.in[i] != '[' {
			p.out.WriteByte(p.in[i])
			i++
			continue
		}
		i = p.bracket(i)
	}
}

// bracket handles the '[' at i and returns where scanning goes on.
func (p *annotationParser) bracket(i int) int {
	closeAt := strings.IndexByte(p.in[i+1:], ']')
	if closeAt <= 0 {
		p.out.WriteByte('[')
		return i + 1
	}
	spanEnd := i + 1 + closeAt
	span := p.in[i+1 : spanEnd]
	after := spanEnd + 1
	rest := p.in[after:]
	var specs []annotationSpec
	var used int
	var ok bool
	switch {
	case strings.HasPrefix(rest, "("):
		specs, used, ok = p.parenForm(i, rest)
	case strings.HasPrefix(rest, "{"):
		specs, used, ok = p.jsonForm(i, rest, false)
	case strings.HasPrefix(strings.TrimLeft(rest[min(1, len(rest)):], " "), "{") &&
		strings.HasPrefix(rest, "["):
		specs, used, ok = p.jsonForm(i, rest, true)
	default:
		p.checkSpaced(i, rest)
	}
	if !ok {
		p.out.WriteString(p.in[i:after])
		return after
	}
	start := p.out.Len()
	p.out.WriteString(span)
	for _, sp := range specs {
		p.ents = append(p.ents, sp.annotation(start, p.out.Len(), span))
	}
	return after + used
}

// annotationSpec is what the part after [text] says about one entity.
type annotationSpec struct {
	entity, role, group, value string
	hasValue                   bool
}

func (sp annotationSpec) annotation(start, end int, span string) EntityAnnotation {
	a := EntityAnnotation{Start: start, End: end, Entity: sp.entity, Value: span,
		Role: sp.role, Group: sp.group}
	if sp.hasValue {
		a.Value = sp.value
	}
	return a
}

func (p *annotationParser) problem(off int, sev Severity, hint, format string, args ...any) {
	p.problems = append(p.problems, AnnotationProblem{Offset: off, Severity: sev,
		Message: fmt.Sprintf(format, args...), Hint: hint})
}

// parenForm reads "(entity)" or "(entity:value)".
func (p *annotationParser) parenForm(at int, rest string) ([]annotationSpec, int, bool) {
	end := strings.IndexByte(rest, ')')
	if end < 0 {
		p.problem(at, Error, "close it with ')', e.g. [Ann](name)",
			"entity annotation %q is not closed with ')'", clip(p.in[at:]))
		return nil, 0, false
	}
	inner := rest[1:end]
	entity, value, hasValue := strings.Cut(inner, ":")
	if strings.TrimSpace(entity) == "" {
		p.problem(at, Error, "name the entity, e.g. [Ann](name)",
			"entity annotation %q names no entity", clip(p.in[at:]))
		return nil, 0, false
	}
	sp := annotationSpec{entity: entity, value: value, hasValue: hasValue}
	return []annotationSpec{sp}, end + 1, true
}

// jsonForm reads `{...}` or, when list is set, `[{...}, ...]`.
func (p *annotationParser) jsonForm(at int, rest string, list bool) ([]annotationSpec, int, bool) {
	dec := json.NewDecoder(strings.NewReader(rest))
	dec.UseNumber()
	var objs []map[string]any
	var err error
	if list {
		err = dec.Decode(&objs)
	} else {
		var one map[string]any
		err = dec.Decode(&one)
		objs = []map[string]any{one}
	}
	if err != nil {
		p.problem(at, Error, `write valid JSON, e.g. [Ann]{"entity": "name"}`,
			"entity annotation %q is not valid JSON: %v", clip(p.in[at:]), err)
		return nil, 0, false
	}
	specs := make([]annotationSpec, 0, len(objs))
	for _, o := range objs {
		sp, ok := p.specFromJSON(at, o)
		if !ok {
			return nil, 0, false
		}
		specs = append(specs, sp)
	}
	if len(specs) == 0 {
		p.problem(at, Error, `list at least one entity`, "entity annotation list is empty")
		return nil, 0, false
	}
	return specs, int(dec.InputOffset()), true
}

func (p *annotationParser) specFromJSON(at int, o map[string]any) (annotationSpec, bool) {
	entity, _ := o["entity"].(string)
	if strings.TrimSpace(entity) == "" {
		p.problem(at, Error, `add "entity": "<name>"`,
			"entity annotation %q has no \"entity\" name", clip(p.in[at:]))
		return annotationSpec{}, false
	}
	sp := annotationSpec{entity: entity, role: jsonText(o["role"]), group: jsonText(o["group"])}
	if v, ok := o["value"]; ok && v != nil {
		sp.value, sp.hasValue = jsonText(v), true
	}
	return sp, true
}

// jsonText turns a JSON scalar into text ("1" for 1, "true" for true).
func jsonText(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// checkSpaced warns about "[Ann] (name)", which looks like an annotation
// but is plain text because of the space.
func (p *annotationParser) checkSpaced(at int, rest string) {
	trimmed := strings.TrimLeft(rest, " \t")
	if len(trimmed) == len(rest) || trimmed == "" {
		return
	}
	if trimmed[0] == '(' && strings.Contains(trimmed, ")") ||
		trimmed[0] == '{' && strings.Contains(trimmed, "}") {
		p.problem(at, Warning, "remove the space between ']' and the entity part",
			"%q looks like an entity annotation but has a space after ']'; it is kept as "+
				"plain text", clip(p.in[at:]))
	}
}

// clip shortens a piece of text for a message.
func clip(s string) string {
	if end := strings.IndexAny(s, ")}"); end >= 0 && end < 60 {
		return s[:end+1]
	}
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "..."
	}
	return s
}
