package project

import (
	"go.yaml.in/yaml/v3"

	"github.com/parley-chat/parley/internal/domain"
)

var mappingKeys = []string{"type", "entity", "role", "group", "intent", "not_intent",
	"value", "action", "conditions"}

var mappingTypes = []string{domain.MapFromEntity, domain.MapFromText, domain.MapFromIntent,
	domain.MapFromTriggerIntent, domain.MapCustom}

// mappings reads a slot's `mappings:` list.
func (f *domainFile) mappings(slot string, n *yaml.Node) []domain.SlotMapping {
	if isNull(n) {
		return []domain.SlotMapping{}
	}
	if !f.s.expectList(n, "mappings of slot "+slot, false) {
		return nil
	}
	out := make([]domain.SlotMapping, 0, len(n.Content))
	for _, item := range n.Content {
		if m, ok := f.mapping(slot, item); ok {
			out = append(out, m)
		}
	}
	return out
}

func (f *domainFile) mapping(slot string, n *yaml.Node) (domain.SlotMapping, bool) {
	var m domain.SlotMapping
	if !f.s.expectMapping(n, "a slot mapping", false) {
		return m, false
	}
	ok := true
	for _, p := range pairs(n) {
		switch p.key.Value {
		case "type":
			m.Type, ok = f.s.name(p.val, "mapping type")
		case "entity":
			m.Entity, ok = f.s.name(p.val, "entity")
		case "role":
			m.Role, ok = f.s.text(p.val, "role")
		case "group":
			m.Group, ok = f.s.text(p.val, "group")
		case "intent":
			m.Intent = f.s.names(p.val, "intent")
		case "not_intent":
			m.NotIntent = f.s.names(p.val, "not_intent")
		case "value":
			m.Value = toValue(p.val)
		case "action":
			m.Action, ok = f.s.name(p.val, "action")
		case "conditions":
			m.Conditions, ok = f.conditions(p.val)
		default:
			f.s.unknownKey(p.key, "a slot mapping", mappingKeys)
			ok = false
		}
		if !ok {
			return m, false
		}
	}
	return m, f.checkMapping(slot, n, m)
}

func (f *domainFile) checkMapping(slot string, n *yaml.Node, m domain.SlotMapping) bool {
	switch {
	case m.Type == "":
		f.s.errorf(n, "add type: from_entity (or from_text, from_intent, "+
			"from_trigger_intent, custom)", "a mapping of slot %q has no type", slot)
	case !contains(mappingTypes, m.Type):
		f.s.errorf(lookup(n, "type"), "use one of from_entity, from_text, from_intent, "+
			"from_trigger_intent, custom", "unknown slot mapping type %q", m.Type)
	case m.Type == domain.MapFromEntity && m.Entity == "":
		f.s.errorf(n, "add entity: <name>",
			"the from_entity mapping of slot %q names no entity", slot)
	case (m.Type == domain.MapFromIntent || m.Type == domain.MapFromTriggerIntent) &&
		lookup(n, "value") == nil:
		f.s.errorf(n, "add value: <what to set>",
			"the %s mapping of slot %q has no value", m.Type, slot)
	default:
		return true
	}
	return false
}

func (f *domainFile) conditions(n *yaml.Node) ([]domain.MappingCondition, bool) {
	if !f.s.expectList(n, "conditions", true) {
		return nil, isNull(n)
	}
	out := make([]domain.MappingCondition, 0, len(n.Content))
	for _, item := range n.Content {
		if !f.s.expectMapping(item, "a mapping condition", false) {
			return nil, false
		}
		var c domain.MappingCondition
		for _, p := range pairs(item) {
			switch p.key.Value {
			case "active_loop":
				if isNull(p.val) {
					c.ActiveLoopNull = true
				} else if name, ok := f.s.name(p.val, "active_loop"); ok {
					c.ActiveLoop = name
					f.pos.LoopConditions = append(f.pos.LoopConditions,
						NamedPos{Name: name, Pos: f.s.pos(p.val)})
				}
			case "requested_slot":
				c.RequestedSlot, _ = f.s.name(p.val, "requested_slot")
			default:
				f.s.unknownKey(p.key, "a mapping condition",
					[]string{"active_loop", "requested_slot"})
				return nil, false
			}
		}
		out = append(out, c)
	}
	return out, true
}
