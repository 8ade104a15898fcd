package project

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// parseJSON reads a JSON file into a YAML node tree. JSON is read by the
// YAML parser to keep line numbers; the few JSON texts YAML rejects (tabs
// used as indentation) are read by encoding/json instead, without lines.
func parseJSON(s *source, data []byte) *yaml.Node {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		s.jsonError(data, err)
		return nil
	}
	var scratch Diagnostics
	probe := &source{file: s.file, lines: s.lines, diags: &scratch}
	if top := parseYAML(probe, data); len(scratch.Errors()) == 0 && top != nil {
		*s.diags = append(*s.diags, scratch...)
		return top
	}
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		s.errorf(nil, "check the JSON", "cannot read the JSON: %v", err)
		return nil
	}
	return &n
}

// jsonError reports a JSON syntax error at its line and column.
func (s *source) jsonError(data []byte, err error) {
	var syn *json.SyntaxError
	p := Pos{File: s.file}
	if errors.As(err, &syn) {
		// Offset counts the offending byte as read; point at it.
		p.Line, p.Column = lineCol(data, int(syn.Offset)-1)
	}
	s.add(p, Error, "fix the JSON syntax", "invalid JSON: "+err.Error())
}

// lineCol turns a byte offset into a 1-based line and column (in runes).
func lineCol(data []byte, off int) (int, int) {
	off = min(max(off, 0), len(data))
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if data[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return line, utf8.RuneCount(data[start:off]) + 1
}

// readNLUJSON reads Rasa NLU JSON ({"rasa_nlu_data": {...}}).
func readNLUJSON(s *source, top *yaml.Node) *TrainingData {
	td := &TrainingData{}
	data := lookup(top, "rasa_nlu_data")
	if data == nil {
		s.warnf(top, "use {\"rasa_nlu_data\": {...}} or move the file out of the data folder",
			"this JSON file is not Rasa NLU training data and is ignored")
		return td
	}
	if !s.expectMapping(data, "rasa_nlu_data", true) {
		return td
	}
	for _, p := range pairs(data) {
		switch p.key.Value {
		case "common_examples", "intent_examples", "entity_examples":
			for _, ex := range listItems(s, p.val, p.key.Value) {
				jsonExample(s, ex, &td.NLU)
			}
		case "regex_features":
			td.NLU.Regexes = append(td.NLU.Regexes, jsonPatterns(s, p.val, "pattern")...)
		case "lookup_tables":
			td.NLU.Lookups = append(td.NLU.Lookups, jsonPatterns(s, p.val, "elements")...)
		case "entity_synonyms":
			jsonSynonyms(s, p.val, &td.NLU)
		default:
			s.warnf(p.key, "remove it", "unknown key %q in rasa_nlu_data is ignored", p.key.Value)
		}
	}
	return td
}

func listItems(s *source, n *yaml.Node, what string) []*yaml.Node {
	if !s.expectList(n, what, true) {
		return nil
	}
	return n.Content
}

func jsonExample(s *source, n *yaml.Node, out *NLUData) {
	if !s.expectMapping(n, "an example", false) {
		return
	}
	text, ok := s.text(lookup(n, "text"), "example text")
	if !ok {
		return
	}
	ex := Example{Text: text, Pos: s.pos(n), Metadata: mapValue(lookup(n, "metadata"))}
	if in := lookup(n, "intent"); !isNull(in) {
		ex.Intent, _ = s.name(in, "intent")
	}
	for _, en := range listItems(s, lookup(n, "entities"), "entities") {
		if a, ok := jsonEntity(s, en, text); ok {
			ex.Entities = append(ex.Entities, a)
		}
	}
	out.Examples = append(out.Examples, ex)
}

// jsonEntity reads one entity; its start and end count code points, as in
// Rasa, and are turned into byte offsets.
func jsonEntity(s *source, n *yaml.Node, text string) (EntityAnnotation, bool) {
	var a EntityAnnotation
	if !s.expectMapping(n, "an entity", false) {
		return a, false
	}
	start, ok1 := s.number(lookup(n, "start"), "start")
	end, ok2 := s.number(lookup(n, "end"), "end")
	entity, ok3 := s.name(lookup(n, "entity"), "entity")
	if !ok1 || !ok2 || !ok3 {
		return a, false
	}
	bs, bad1 := byteOffset(text, int(start))
	be, bad2 := byteOffset(text, int(end))
	if bad1 || bad2 || be < bs || start != float64(int(start)) || end != float64(int(end)) {
		s.errorf(n, "use code point offsets inside the text, start <= end",
			"entity %q has start %g / end %g outside the text (%d characters)",
			entity, start, end, utf8.RuneCountInString(text))
		return a, false
	}
	a = EntityAnnotation{Start: bs, End: be, Entity: entity, Value: text[bs:be]}
	if v := lookup(n, "value"); !isNull(v) {
		a.Value = fmt.Sprint(toValue(v))
	}
	a.Role = fmt.Sprint(nonNil(toValue(lookup(n, "role"))))
	a.Group = fmt.Sprint(nonNil(toValue(lookup(n, "group"))))
	return a, true
}

func nonNil(v any) any {
	if v == nil {
		return ""
	}
	return v
}

// byteOffset turns a code point offset into a byte offset; bad is true when
// it lies outside text.
func byteOffset(text string, cp int) (off int, bad bool) {
	if cp < 0 {
		return 0, true
	}
	for i := range text {
		if cp == 0 {
			return i, false
		}
		cp--
	}
	return len(text), cp != 0
}

func jsonPatterns(s *source, n *yaml.Node, key string) []Pattern {
	var out []Pattern
	for _, item := range listItems(s, n, key) {
		name, ok := s.name(lookup(item, "name"), "name")
		if !ok {
			continue
		}
		p := Pattern{Name: name, Pos: s.pos(item)}
		v := lookup(item, key)
		if key == "elements" && v != nil && v.Kind == yaml.ScalarNode {
			s.errorf(v, "list the entries inline", "lookup table files are not supported")
			continue
		}
		p.Elements = s.names(v, key)
		out = append(out, p)
	}
	return out
}

func jsonSynonyms(s *source, n *yaml.Node, out *NLUData) {
	for _, item := range listItems(s, n, "entity_synonyms") {
		value, ok := s.text(lookup(item, "value"), "synonym value")
		if !ok {
			continue
		}
		out.Synonyms = append(out.Synonyms, Synonym{Value: value, Pos: s.pos(item),
			Examples: s.names(lookup(item, "synonyms"), "synonyms")})
	}
}
