package project

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Limits that keep a hostile file (alias bombs, self-referencing anchors,
// absurd nesting) from exhausting memory while it is read.
const (
	// baseNodeBudget plus one node per input byte bounds the resolved tree;
	// only alias expansion can go past it.
	baseNodeBudget = 100_000
	maxDepth       = 200
)

// source is one project file being read: the name used in diagnostics, its
// lines (to place text inside block scalars) and where diagnostics go.
type source struct {
	file  string
	lines []string
	diags *Diagnostics
}

func newSource(name string, data []byte, diags *Diagnostics) *source {
	text := string(normalizeText(data))
	return &source{file: name, lines: strings.Split(text, "\n"), diags: diags}
}

// normalizeText drops a UTF-8 byte order mark and turns CRLF into LF.
func normalizeText(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	return bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
}

// pos returns the position of node n in this file.
func (s *source) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: s.file}
	}
	return Pos{File: s.file, Line: n.Line, Column: n.Column}
}

func (s *source) add(p Pos, sev Severity, hint, msg string) {
	*s.diags = append(*s.diags, Diagnostic{Pos: p, Severity: sev, Message: msg, Hint: hint})
}

// failed reports whether an error has been recorded for this file.
func (s *source) failed() bool {
	for _, d := range *s.diags {
		if d.Severity == Error && d.Pos.File == s.file {
			return true
		}
	}
	return false
}

// errorf records an error at node n.
func (s *source) errorf(n *yaml.Node, hint, format string, args ...any) {
	s.add(s.pos(n), Error, hint, fmt.Sprintf(format, args...))
}

// warnf records a warning at node n.
func (s *source) warnf(n *yaml.Node, hint, format string, args ...any) {
	s.add(s.pos(n), Warning, hint, fmt.Sprintf(format, args...))
}

// parseYAML reads the first YAML document of data. It returns the
// document's top node, or nil when the file is empty or broken (in which case
// an error diagnostic has been recorded). Aliases and merge keys are resolved
// and duplicate keys reported, so later code sees a plain tree.
func parseYAML(s *source, data []byte) (top *yaml.Node) {
	defer func() {
		// The YAML library has panicked on crafted input in the past; a
		// project file must never take the process down.
		if r := recover(); r != nil {
			s.add(Pos{File: s.file}, Error, "check that the file is valid YAML",
				fmt.Sprintf("the YAML reader failed on this file: %v", r))
			top = nil
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(normalizeText(data)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if !errors.Is(err, io.EOF) {
			s.syntaxError(err)
		}
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		s.warnf(&extra, "split the file in two",
			"only the first YAML document of this file is read")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	r := resolver{src: s, seen: map[*yaml.Node]bool{}, budget: baseNodeBudget + len(data)}
	return r.resolve(doc.Content[0], 0)
}

var yamlLineRe = regexp.MustCompile(`line (\d+):`)

// syntaxError turns a YAML library error into a diagnostic. The library
// often names the line before the offending one, so the next lines are
// searched for the most common cause: unquoted text that starts with a
// bracket, which YAML reads as a list or a mapping.
func (s *source) syntaxError(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimSpace(strings.Replace(msg, m[0], "", 1))
	}
	for l := max(line, 1); l <= line+3 && l <= len(s.lines); l++ {
		if col := bracketTextColumn(s.lines[l-1]); col > 0 {
			s.add(Pos{File: s.file, Line: l, Column: col}, Error,
				"put the whole text in quotes, e.g. \"[Ann](name) here\"",
				"YAML syntax error: text starting with '[' or '{' is read as a list or a "+
					"mapping ("+msg+")")
			return
		}
	}
	s.add(Pos{File: s.file, Line: line}, Error, "fix the YAML syntax (indentation, a missing ':')",
		"YAML syntax error: "+msg)
}

var bracketTextRe = regexp.MustCompile(`^(\s*(?:-\s+)?[^\s#'"-][^:#]*:\s+|\s*-\s+)([\[{])`)

// bracketTextColumn returns the column of a value that starts with '[' or
// '{' and either never closes or has more text after its first closing
// bracket, as in `- user: [Ann](name) here`; otherwise 0.
func bracketTextColumn(line string) int {
	m := bracketTextRe.FindStringSubmatchIndex(line)
	if m == nil {
		return 0
	}
	open := m[4]
	closer := byte(']')
	if line[open] == '{' {
		closer = '}'
	}
	end := strings.IndexByte(line[open:], closer)
	if end >= 0 {
		rest := strings.TrimSpace(line[open+end+1:])
		if rest == "" || strings.HasPrefix(rest, "#") || strings.HasPrefix(rest, ",") {
			return 0
		}
	}
	return len([]rune(line[:open])) + 1
}

// resolver copies a parsed tree, expanding aliases and merge keys and
// reporting duplicate mapping keys, within the size limits.
type resolver struct {
	src      *source
	seen     map[*yaml.Node]bool
	count    int
	budget   int
	tooLarge bool
}

func (r *resolver) resolve(n *yaml.Node, depth int) *yaml.Node {
	if n == nil || r.tooLarge {
		return nil
	}
	r.count++
	if r.count > r.budget || depth > maxDepth {
		r.tooLarge = true
		r.src.errorf(n, "remove deep nesting and repeated aliases",
			"the file nests too deeply or expands too many aliases")
		return nil
	}
	if n.Kind == yaml.AliasNode {
		if r.seen[n.Alias] || n.Alias == nil {
			r.src.errorf(n, "do not refer to an anchor from inside itself",
				"alias *%s refers to itself", n.Value)
			return nil
		}
		r.seen[n.Alias] = true
		out := r.resolve(n.Alias, depth+1)
		delete(r.seen, n.Alias)
		return out
	}
	out := *n
	out.Content = nil
	out.Anchor = ""
	r.seen[n] = true
	defer delete(r.seen, n)
	if n.Kind == yaml.MappingNode {
		r.resolveMapping(n, &out, depth)
		return &out
	}
	for _, c := range n.Content {
		if rc := r.resolve(c, depth+1); rc != nil {
			out.Content = append(out.Content, rc)
		}
	}
	return &out
}

func (r *resolver) resolveMapping(n, out *yaml.Node, depth int) {
	keys := map[string]*yaml.Node{}
	var merged []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merged = append(merged, r.resolve(v, depth+1))
			continue
		}
		rk, rv := r.resolve(k, depth+1), r.resolve(v, depth+1)
		if rk == nil {
			continue
		}
		if rv == nil {
			rv = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: v.Line, Column: v.Column}
		}
		if prev, dup := keys[rk.Value]; dup && rk.Kind == yaml.ScalarNode {
			r.src.errorf(k, "remove or rename one of them",
				"duplicate key %q (first defined at line %d)", rk.Value, prev.Line)
			continue
		}
		keys[rk.Value] = rk
		out.Content = append(out.Content, rk, rv)
	}
	for _, m := range merged {
		r.mergeInto(out, keys, m)
	}
}

// mergeInto adds the pairs of a `<<` merge value that the mapping does not
// set itself.
func (r *resolver) mergeInto(out *yaml.Node, keys map[string]*yaml.Node, m *yaml.Node) {
	if m == nil {
		return
	}
	if m.Kind == yaml.SequenceNode {
		for _, c := range m.Content {
			r.mergeInto(out, keys, c)
		}
		return
	}
	if m.Kind != yaml.MappingNode {
		r.src.errorf(m, "merge a mapping", "the value of '<<' must be a mapping")
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if _, set := keys[k.Value]; set {
			continue
		}
		keys[k.Value] = k
		out.Content = append(out.Content, k, m.Content[i+1])
	}
}
