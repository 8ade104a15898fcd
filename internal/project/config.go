package project

import (
	"go.yaml.in/yaml/v3"
)

// DefaultPipeline returns the NLU pipeline used when config.yml gives none:
// the classic Rasa 3.x default.
func DefaultPipeline() []Component {
	return []Component{
		{Name: "WhitespaceTokenizer"},
		{Name: "RegexFeaturizer"},
		{Name: "LexicalSyntacticFeaturizer"},
		{Name: "CountVectorsFeaturizer"},
		{Name: "CountVectorsFeaturizer", Options: map[string]any{
			"analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4}},
		{Name: "DIETClassifier", Options: map[string]any{
			"epochs": 100, "constrain_similarities": true}},
		{Name: "EntitySynonymMapper"},
		{Name: "ResponseSelector", Options: map[string]any{
			"epochs": 100, "constrain_similarities": true}},
		{Name: "FallbackClassifier", Options: map[string]any{
			"threshold": 0.3, "ambiguity_threshold": 0.1}},
	}
}

// DefaultPolicies returns the policies used when config.yml gives none.
func DefaultPolicies() []Component {
	return []Component{
		{Name: "MemoizationPolicy"},
		{Name: "RulePolicy"},
		{Name: "TEDPolicy", Options: map[string]any{
			"max_history": 5, "epochs": 100, "constrain_similarities": true}},
	}
}

// configResult is config.yml read, with the rules that legacy policies
// turned into.
type configResult struct {
	cfg   Config
	rules []Story
}

// readConfig reads the top node of config.yml (nil for an empty file).
func readConfig(s *source, top *yaml.Node) configResult {
	res := configResult{cfg: Config{Recipe: "default.v1", Language: "en", Pos: Pos{File: s.file}}}
	c := &res.cfg
	if top != nil && s.expectMapping(top, "config.yml", false) {
		for _, p := range pairs(top) {
			res.configKey(s, p)
		}
	}
	if len(c.Pipeline) == 0 {
		c.Pipeline, c.PipelineDefaulted = DefaultPipeline(), true
	}
	if len(c.Policies) == 0 {
		c.Policies, c.PoliciesDefaulted = DefaultPolicies(), true
	}
	res.rules = migratePolicies(s, c)
	return res
}

func (res *configResult) configKey(s *source, p pair) {
	c := &res.cfg
	switch p.key.Value {
	case "recipe":
		c.Recipe, _ = s.name(p.val, "recipe")
	case "language":
		c.Language, _ = s.name(p.val, "language")
	case "assistant_id":
		c.AssistantID, _ = s.text(p.val, "assistant_id")
	case "pipeline":
		c.Pipeline = readComponents(s, p.val, "pipeline")
	case "policies":
		c.Policies = readComponents(s, p.val, "policies")
	case "version", "data":
		// The format version and the unused data: key need no reading.
	case "importers", "imports":
		s.warnf(p.key, "list the data paths on the command line instead",
			"%s: is not supported by Parley and is ignored", p.key.Value)
	default:
		s.warnf(p.key, "remove it, or check its spelling",
			"unknown key %q in config.yml is ignored", p.key.Value)
	}
}

// readComponents reads `pipeline:` or `policies:`. A pipeline given as a
// template name (Rasa 1.x) is replaced by the default.
func readComponents(s *source, n *yaml.Node, what string) []Component {
	if isNull(n) {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		migrationWarning(s, n, what+" given as a template name ("+n.Value+")",
			"list the components: - name: WhitespaceTokenizer ...; the default is used")
		return nil
	}
	if !s.expectList(n, what, false) {
		return nil
	}
	out := make([]Component, 0, len(n.Content))
	for _, item := range n.Content {
		if c, ok := readComponent(s, item, what); ok {
			out = append(out, c)
		}
	}
	return out
}

func readComponent(s *source, n *yaml.Node, what string) (Component, bool) {
	if !s.expectMapping(n, "an item of "+what, false) {
		return Component{}, false
	}
	c := Component{Pos: s.pos(n)}
	nameNode := lookup(n, "name")
	if nameNode == nil {
		s.errorf(n, "add name: <component>", "an item of %s has no name", what)
		return c, false
	}
	name, ok := s.name(nameNode, "component name")
	if !ok {
		return c, false
	}
	c.Name = name
	for _, p := range pairs(n) {
		if p.key.Value == "name" {
			continue
		}
		if c.Options == nil {
			c.Options = map[string]any{}
		}
		c.Options[p.key.Value] = toValue(p.val)
	}
	return c, true
}
