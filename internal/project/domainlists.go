package project

import (
	"go.yaml.in/yaml/v3"

	"github.com/parley-chat/parley/internal/domain"
)

// namedItem splits a list item written either as `- name` or as
// `- name: {options}` into its name node and options (nil if none).
func (f *domainFile) namedItem(n *yaml.Node, what string) (*yaml.Node, *yaml.Node, bool) {
	switch {
	case isNull(n):
		f.s.errorf(n, "write the "+what+" name, or remove the empty item",
			"missing %s name (empty list item)", what)
		return nil, nil, false
	case n.Kind == yaml.ScalarNode:
		return n, nil, true
	case n.Kind == yaml.MappingNode && len(n.Content) == 2:
		return n.Content[0], n.Content[1], true
	}
	f.s.errorf(n, "write - name or - name: {options}",
		"a %s must be a name or a single `name: {options}`, found %s", what, kindName(n))
	return nil, nil, false
}

func (f *domainFile) intents(n *yaml.Node) {
	if !f.s.expectList(n, "intents", true) {
		return
	}
	var triggers *yaml.Node
	for _, item := range n.Content {
		k, opts, ok := f.namedItem(item, "intent")
		if !ok {
			continue
		}
		name, ok := f.s.name(k, "intent name")
		if !ok || f.definedTwice(f.pos.Intents, k, "intent", name) {
			continue
		}
		in := domain.Intent{Name: name, UseAllEntities: true}
		if t := f.intentOptions(&in, opts); t != nil && triggers == nil {
			triggers = t
		}
		f.dom.Intents = append(f.dom.Intents, in)
	}
	if triggers != nil {
		migrationWarning(f.s, triggers, "intent triggers: (MappingPolicy)",
			"write a rule instead: - rule: ... steps: [- intent: x, - action: y]; "+
				"rules were generated")
	}
}

// intentOptions reads use_entities, ignore_entities and the legacy
// triggers; it returns the triggers key node if one was found.
func (f *domainFile) intentOptions(in *domain.Intent, opts *yaml.Node) *yaml.Node {
	if !f.s.expectMapping(opts, "intent options", true) {
		return nil
	}
	var trig *yaml.Node
	for _, p := range pairs(opts) {
		switch p.key.Value {
		case "use_entities":
			f.useEntities(in, p.val)
		case "ignore_entities":
			in.IgnoreEntities = f.s.names(p.val, "ignore_entities")
		case "triggers":
			if action, ok := f.s.name(p.val, "triggers"); ok {
				trig = p.key
				f.rules = append(f.rules, triggerRule(f.s.pos(p.key), in.Name, action))
			}
		default:
			f.s.unknownKey(p.key, "intent options", []string{"use_entities", "ignore_entities"})
		}
	}
	if in.IgnoreEntities != nil && !in.UseAllEntities {
		f.s.errorf(opts, "use either use_entities or ignore_entities",
			"intent %q sets both use_entities and ignore_entities", in.Name)
	}
	return trig
}

func (f *domainFile) useEntities(in *domain.Intent, n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		all, _ := f.s.boolean(n, "use_entities")
		in.UseAllEntities = all
		if !all {
			in.UseEntities = []string{}
		}
		return
	}
	in.UseAllEntities = false
	in.UseEntities = f.s.names(n, "use_entities")
	if in.UseEntities == nil {
		in.UseEntities = []string{}
	}
}

// triggerRule is the rule that replaces a MappingPolicy trigger.
func triggerRule(p Pos, intent, action string) Story {
	return Story{Name: "trigger " + intent + " (migrated)", Kind: KindRule,
		WaitForUserInput: true, Pos: p, Steps: []Step{
			{Kind: StepIntent, Intent: intent, Pos: p},
			{Kind: StepAction, Action: action, Pos: p},
		}}
}

func (f *domainFile) entities(n *yaml.Node) {
	if !f.s.expectList(n, "entities", true) {
		return
	}
	for _, item := range n.Content {
		k, opts, ok := f.namedItem(item, "entity")
		if !ok {
			continue
		}
		name, ok := f.s.name(k, "entity name")
		if !ok || f.definedTwice(f.pos.Entities, k, "entity", name) {
			continue
		}
		e := domain.Entity{Name: name, InfluenceConversation: true}
		if f.s.expectMapping(opts, "entity options", true) {
			f.entityOptions(&e, opts)
		}
		f.dom.Entities = append(f.dom.Entities, e)
	}
}

func (f *domainFile) entityOptions(e *domain.Entity, opts *yaml.Node) {
	for _, p := range pairs(opts) {
		switch p.key.Value {
		case "roles":
			e.Roles = f.s.names(p.val, "roles")
		case "groups":
			e.Groups = f.s.names(p.val, "groups")
		case "influence_conversation":
			e.InfluenceConversation, _ = f.s.boolean(p.val, "influence_conversation")
		default:
			f.s.unknownKey(p.key, "entity options",
				[]string{"roles", "groups", "influence_conversation"})
		}
	}
}

func (f *domainFile) actions(n *yaml.Node) {
	if !f.s.expectList(n, "actions", true) {
		return
	}
	for _, item := range n.Content {
		k, opts, ok := f.namedItem(item, "action")
		if !ok {
			continue
		}
		name, ok := f.s.name(k, "action name")
		if !ok || f.definedTwice(f.pos.Actions, k, "action", name) {
			continue
		}
		a := domain.Action{Name: name}
		if f.s.expectMapping(opts, "action options", true) {
			for _, p := range pairs(opts) {
				if p.key.Value != "send_domain" {
					f.s.unknownKey(p.key, "action options", []string{"send_domain"})
					continue
				}
				a.SendDomain, _ = f.s.boolean(p.val, "send_domain")
			}
		}
		f.dom.Actions = append(f.dom.Actions, a)
	}
}
