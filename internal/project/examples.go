package project

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// rawExample is one example line before its annotations are read.
type rawExample struct {
	text     string
	metadata map[string]any
	// at maps a byte offset in text to a place in the file.
	at func(off int) Pos
}

var htmlCommentRe = regexp.MustCompile(`(?s)<!--.*?-->`)

// exampleList reads `examples:`: a `|` block of "- " lines or a list of
// texts or {text, metadata} mappings.
func (s *source) exampleList(n *yaml.Node, what string) []rawExample {
	switch {
	case isNull(n):
		s.warnf(n, "add examples under `examples: |`", "%s has no examples", what)
		return nil
	case n.Kind == yaml.ScalarNode:
		return s.blockExamples(n, what)
	case n.Kind == yaml.SequenceNode:
		return s.listExamples(n)
	}
	s.errorf(n, "write `examples: |` followed by lines starting with '- '",
		"examples of %s must be a block of '- ' lines or a list, found %s", what, kindName(n))
	return nil
}

// blockExamples splits a `|` block into examples, one per "- " line. A
// line starting with '#' is text to YAML, not a comment; it is reported and
// never used as an example.
func (s *source) blockExamples(n *yaml.Node, what string) []rawExample {
	var out []rawExample
	for k, line := range strings.Split(n.Value, "\n") {
		trimmed := strings.TrimLeft(line, " \t")
		lead := len(line) - len(trimmed)
		at := func(off int) Pos { return s.valuePos(n, k, line, lead+off) }
		switch {
		case trimmed == "":
			continue
		case strings.HasPrefix(trimmed, "#"):
			s.add(at(0), Warning, "delete the line, or write it as an example: - text",
				"line "+quoteClip(trimmed)+" in the examples of "+what+
					" is ignored: inside a `|` block '#' does not start a comment")
			continue
		case isExampleLine(trimmed):
		default:
			s.add(at(0), Warning, "start each example with '- '",
				"line "+quoteClip(trimmed)+" in the examples of "+what+
					" does not start with '- ' and is ignored")
			continue
		}
		ex, ok := cleanExample(trimmed[1:])
		if !ok {
			s.add(at(0), Warning, "write text after '- ' or delete the line",
				"empty example in "+what+" is ignored")
			continue
		}
		start := lead + 1 + ex.offset
		out = append(out, rawExample{text: ex.text,
			at: func(off int) Pos { return s.valuePos(n, k, line, start+off) }})
	}
	return out
}

// isExampleLine tells whether a line of an examples block is an example:
// a dash followed by a space, a tab or nothing.
func isExampleLine(line string) bool {
	return line == "-" || strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "-\t")
}

// cleanedText is an example with comments removed and spaces trimmed;
// offset is where it starts in the raw text.
type cleanedText struct {
	text   string
	offset int
}

func cleanExample(raw string) (cleanedText, bool) {
	noComments := htmlCommentRe.ReplaceAllString(raw, "")
	text := strings.TrimSpace(noComments)
	if text == "" {
		return cleanedText{}, false
	}
	off := len(noComments) - len(strings.TrimLeft(noComments, " \t"))
	return cleanedText{text: text, offset: off}, true
}

// listExamples reads examples written as a YAML list.
func (s *source) listExamples(n *yaml.Node) []rawExample {
	var out []rawExample
	for _, item := range n.Content {
		textNode, meta := item, map[string]any(nil)
		if item.Kind == yaml.MappingNode {
			textNode = nil
			for _, p := range pairs(item) {
				switch p.key.Value {
				case "text":
					textNode = p.val
				case "metadata":
					meta = mapValue(p.val)
				default:
					s.unknownKey(p.key, "an example", []string{"text", "metadata"})
				}
			}
			if textNode == nil {
				s.errorf(item, "add `text: ...`", "example has no text")
				continue
			}
		}
		raw, ok := s.text(textNode, "an example")
		if !ok {
			continue
		}
		ex, ok := cleanExample(raw)
		if !ok {
			s.warnf(textNode, "write text or delete the item", "empty example is ignored")
			continue
		}
		tn := textNode
		out = append(out, rawExample{text: ex.text, metadata: meta,
			at: func(off int) Pos { return s.valuePos(tn, 0, raw, ex.offset+off) }})
	}
	return out
}

// valuePos places byte offset off of line k of scalar n's value in the file.
// Literal blocks map lines exactly; other styles are exact for one-line
// values and otherwise point at the value's start.
func (s *source) valuePos(n *yaml.Node, k int, line string, off int) Pos {
	off = min(max(off, 0), len(line))
	if n.Style&yaml.LiteralStyle != 0 {
		fileLine := n.Line + 1 + k
		indent := 0
		if fileLine-1 < len(s.lines) {
			src := s.lines[fileLine-1]
			if strings.HasSuffix(src, line) {
				indent = utf8.RuneCountInString(src[:len(src)-len(line)])
			}
		}
		col := indent + utf8.RuneCountInString(line[:off]) + 1
		return Pos{File: s.file, Line: fileLine, Column: col}
	}
	if k > 0 || strings.Contains(n.Value, "\n") || n.Style&yaml.FoldedStyle != 0 {
		return s.pos(n)
	}
	col := n.Column + utf8.RuneCountInString(line[:off])
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		col++
	}
	return Pos{File: s.file, Line: n.Line, Column: col}
}

// quoteClip quotes a line for a message, shortened if long.
func quoteClip(s string) string {
	if r := []rune(s); len(r) > 50 {
		s = string(r[:50]) + "..."
	}
	return "\"" + s + "\""
}

// annotated reads the inline annotations of an example or a story's user
// text, reporting problems at their place in the file.
func (s *source) annotated(ex rawExample) (string, []EntityAnnotation) {
	clean, ents, problems := ParseAnnotations(ex.text)
	for _, pr := range problems {
		s.add(ex.at(pr.Offset), pr.Severity, pr.Hint, pr.Message)
	}
	return clean, ents
}
