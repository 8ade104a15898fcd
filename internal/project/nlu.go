package project

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// nluItemKeys are the keys an item under `nlu:` may have.
var nluItemKeys = []string{"intent", "synonym", "regex", "lookup", "examples", "metadata"}

// readNLU reads the list under `nlu:`.
func readNLU(s *source, n *yaml.Node, out *NLUData) {
	if isNull(n) {
		s.errorf(n, "list intents under nlu: (- intent: greet), or remove the key",
			"nlu: is empty")
		return
	}
	if !s.expectList(n, "nlu:", false) {
		return
	}
	for _, item := range n.Content {
		readNLUItem(s, item, out)
	}
}

func readNLUItem(s *source, item *yaml.Node, out *NLUData) {
	if !s.expectMapping(item, "an nlu item", false) {
		return
	}
	var kind string
	var nameNode, examples, metadata *yaml.Node
	for _, p := range pairs(item) {
		switch k := p.key.Value; k {
		case "intent", "synonym", "regex", "lookup":
			if kind != "" {
				s.errorf(p.key, "split it into two items",
					"an nlu item has both %s: and %s:", kind, k)
				return
			}
			kind, nameNode = k, p.val
		case "examples":
			examples = p.val
		case "metadata":
			metadata = p.val
		default:
			s.unknownKey(p.key, "an nlu item", nluItemKeys)
		}
	}
	if kind == "" {
		s.errorf(item, "start the item with - intent: <name>",
			"an nlu item needs one of intent:, synonym:, regex: or lookup:")
		return
	}
	name, ok := s.name(nameNode, kind+" name")
	if !ok {
		return
	}
	if metadata != nil && kind != "intent" {
		s.warnf(metadata, "remove it", "metadata on a %s is ignored", kind)
	}
	switch kind {
	case "intent":
		readIntentExamples(s, nameNode, name, examples, metadata, out)
	case "synonym":
		out.Synonyms = append(out.Synonyms, Synonym{Value: name, Pos: s.pos(nameNode),
			Examples: plainLines(s, nameNode, examples, "synonym "+name)})
	case "regex":
		out.Regexes = append(out.Regexes, Pattern{Name: name, Pos: s.pos(nameNode),
			Elements: plainLines(s, nameNode, examples, "regex "+name)})
	case "lookup":
		out.Lookups = append(out.Lookups, Pattern{Name: name, Pos: s.pos(nameNode),
			Elements: plainLines(s, nameNode, examples, "lookup "+name)})
	}
}

// checkIntentName reports a malformed retrieval intent name.
func checkIntentName(s *source, n *yaml.Node, name string) bool {
	if !strings.Contains(name, "/") {
		return true
	}
	base, key, _ := strings.Cut(name, "/")
	if base == "" || key == "" || strings.Contains(key, "/") {
		s.errorf(n, "write a retrieval intent as <intent>/<key>, e.g. faq/ask_hours",
			"intent name %q is not a valid retrieval intent", name)
		return false
	}
	return true
}

func readIntentExamples(s *source, nameNode *yaml.Node, intent string,
	examples, metadata *yaml.Node, out *NLUData) {
	if !checkIntentName(s, nameNode, intent) {
		return
	}
	var intentMeta any
	if !isNull(metadata) {
		intentMeta = toValue(metadata)
	}
	if examples == nil {
		s.warnf(nameNode, "add `examples: |` with lines starting with '- '",
			"intent %q has no examples", intent)
		return
	}
	for _, raw := range s.exampleList(examples, "intent "+intent) {
		text, ents := s.annotated(raw)
		ex := Example{Text: text, Intent: intent, Entities: ents, Pos: raw.at(0)}
		ex.Metadata = exampleMetadata(intentMeta, raw.metadata)
		out.Examples = append(out.Examples, ex)
	}
}

// exampleMetadata keeps metadata the way Rasa hands it to components:
// {"intent": <intent metadata>, "example": <example metadata>}.
func exampleMetadata(intentMeta any, exampleMeta map[string]any) map[string]any {
	if intentMeta == nil && exampleMeta == nil {
		return nil
	}
	m := map[string]any{}
	if intentMeta != nil {
		m["intent"] = intentMeta
	}
	if exampleMeta != nil {
		m["example"] = exampleMeta
	}
	return m
}

// plainLines reads the entries of a synonym, regex or lookup table:
// examples without annotations.
func plainLines(s *source, nameNode, n *yaml.Node, what string) []string {
	if n == nil {
		s.warnf(nameNode, "add `examples: |`", "%s has no examples", what)
		return nil
	}
	raws := s.exampleList(n, what)
	out := make([]string, 0, len(raws))
	for _, r := range raws {
		out = append(out, r.text)
	}
	return out
}
