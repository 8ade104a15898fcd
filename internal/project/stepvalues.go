package project

import (
	"go.yaml.in/yaml/v3"
)

// slots reads `slot_was_set:`: a list of bare slot names (set to anything)
// and `slot: value` pairs. Values may be text, numbers, booleans, lists or
// mappings.
func (r *storyReader) slots(n *yaml.Node) ([]SlotValue, bool) {
	if isNull(n) {
		r.s.errorf(n, "list slots under slot_was_set:, e.g. - name: Ann",
			"slot_was_set is empty")
		return nil, false
	}
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []SlotValue
	for _, it := range items {
		switch {
		case it.Kind == yaml.ScalarNode && !isNull(it):
			out = append(out, SlotValue{Name: it.Value})
		case it.Kind == yaml.MappingNode:
			for _, p := range pairs(it) {
				name, ok := r.s.name(p.key, "slot name")
				if !ok {
					return nil, false
				}
				out = append(out, SlotValue{Name: name, Value: toValue(p.val), HasValue: true})
			}
		default:
			r.s.errorf(it, "write - slot_name or - slot_name: value",
				"a slot_was_set entry must be a slot name or slot: value, found %s",
				kindName(it))
			return nil, false
		}
	}
	return out, true
}

// entities reads the `entities:` of an intent step in its three forms:
// `- name`, `- name: value` (with optional role:/group:) and
// `- {entity: name, value: v, role: r, group: g}`.
func (r *storyReader) entities(n *yaml.Node) ([]StepEntity, bool) {
	if isNull(n) {
		return nil, true
	}
	if !r.s.expectList(n, "entities", false) {
		return nil, false
	}
	out := make([]StepEntity, 0, len(n.Content))
	for _, it := range n.Content {
		e, ok := r.entity(it)
		if !ok {
			return nil, false
		}
		out = append(out, e)
	}
	return out, true
}

func (r *storyReader) entity(n *yaml.Node) (StepEntity, bool) {
	if n.Kind == yaml.ScalarNode && !isNull(n) {
		return StepEntity{Entity: n.Value}, true
	}
	if n.Kind != yaml.MappingNode {
		r.s.errorf(n, "write - name or - name: value",
			"an entity must be a name or name: value, found %s", kindName(n))
		return StepEntity{}, false
	}
	structured := lookup(n, "entity") != nil
	var e StepEntity
	for _, p := range pairs(n) {
		switch k := p.key.Value; {
		case k == "role":
			e.Role, _ = r.s.text(p.val, "role")
		case k == "group":
			e.Group, _ = r.s.text(p.val, "group")
		case structured && k == "entity":
			e.Entity, _ = r.s.name(p.val, "entity name")
		case structured && k == "value":
			e.Value, e.HasValue = toValue(p.val), true
		case structured:
			r.s.unknownKey(p.key, "an entity", []string{"entity", "value", "role", "group"})
			return StepEntity{}, false
		case e.Entity != "":
			r.s.errorf(p.key, "write one entity per list item",
				"entity item names two entities: %q and %q", e.Entity, k)
			return StepEntity{}, false
		default:
			e.Entity, e.Value, e.HasValue = k, toValue(p.val), true
		}
	}
	if e.Entity == "" {
		r.s.errorf(n, "name the entity", "entity item names no entity")
		return StepEntity{}, false
	}
	return e, true
}
