package project

import (
	"go.yaml.in/yaml/v3"

	"github.com/parley-chat/parley/internal/domain"
)

// forms reads `forms:`. Rasa 3 writes a mapping of form name to
// {required_slots: [..], ignored_intents: [..]}. Two older shapes load with
// a migration warning: a plain list of form names (1.x), and slot mappings
// inside the form (2.x, under required_slots: or directly under the form).
func (f *domainFile) forms(n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind == yaml.SequenceNode {
		f.formList(n)
		return
	}
	if !f.s.expectMapping(n, "forms", false) {
		return
	}
	var legacy *yaml.Node
	for _, p := range pairs(n) {
		name, ok := f.s.name(p.key, "form name")
		if !ok {
			continue
		}
		f.pos.Forms[name] = f.s.pos(p.key)
		form := domain.Form{Name: name}
		if l := f.formBody(&form, p.val); l != nil && legacy == nil {
			legacy = l
		}
		f.dom.Forms = append(f.dom.Forms, form)
	}
	if legacy != nil {
		migrationWarning(f.s, legacy, "slot mappings inside a form",
			"list the slots under required_slots: and move the mappings to the slots' "+
				"mappings: with conditions: [{active_loop: <form>}]; they were moved so")
	}
}

func (f *domainFile) formList(n *yaml.Node) {
	for _, item := range n.Content {
		name, ok := f.s.name(item, "form name")
		if !ok || f.definedTwice(f.pos.Forms, item, "form", name) {
			continue
		}
		f.dom.Forms = append(f.dom.Forms, domain.Form{Name: name})
	}
	migrationWarning(f.s, n, "forms: as a list of names",
		"write forms: {<name>: {required_slots: [<slot>, ...]}}; the required slots of "+
			"these forms were defined in Python and are empty now")
}

// formBody reads one form; it returns the node of a legacy mapping block if
// it met one.
func (f *domainFile) formBody(form *domain.Form, n *yaml.Node) *yaml.Node {
	if !f.s.expectMapping(n, "form "+form.Name, true) {
		return nil
	}
	var legacy *yaml.Node
	for _, p := range pairs(n) {
		switch {
		case p.key.Value == "ignored_intents":
			form.IgnoredIntents = f.s.names(p.val, "ignored_intents")
		case p.key.Value == "required_slots" && p.val.Kind == yaml.MappingNode:
			legacy = p.key
			for _, sp := range pairs(p.val) {
				f.formSlotMappings(form, sp.key, sp.val)
			}
		case p.key.Value == "required_slots":
			form.RequiredSlots = f.s.names(p.val, "required_slots")
		case p.val.Kind == yaml.SequenceNode || isNull(p.val):
			// Rasa 2.0 listed each required slot with its mappings directly.
			legacy = p.key
			f.formSlotMappings(form, p.key, p.val)
		default:
			f.s.unknownKey(p.key, "form "+form.Name, []string{"required_slots", "ignored_intents"})
		}
	}
	return legacy
}

// formSlotMappings moves 2.x form slot mappings onto the slot, limited to
// the time the form is active.
func (f *domainFile) formSlotMappings(form *domain.Form, k, v *yaml.Node) {
	slot, ok := f.s.name(k, "slot name")
	if !ok {
		return
	}
	form.RequiredSlots = append(form.RequiredSlots, slot)
	ms := f.mappings(slot, v)
	for i := range ms {
		cond := domain.MappingCondition{ActiveLoop: form.Name}
		if ms[i].Type != domain.MapFromEntity {
			cond.RequestedSlot = slot
		}
		ms[i].Conditions = append(ms[i].Conditions, cond)
	}
	for i := range f.dom.Slots {
		if f.dom.Slots[i].Name == slot {
			f.dom.Slots[i].Mappings = append(f.dom.Slots[i].Mappings, ms...)
			f.markMapped(slot)
		}
	}
}

// markMapped drops slot from the slots declared without mappings.
func (f *domainFile) markMapped(slot string) {
	kept := f.unmapped[:0]
	for _, k := range f.unmapped {
		if k.Value != slot {
			kept = append(kept, k)
		}
	}
	f.unmapped = kept
}
