package project

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/parley-chat/parley/internal/domain"
)

var slotKeys = []string{"type", "influence_conversation", "initial_value", "values",
	"min_value", "max_value", "mappings", "auto_fill"}

var slotTypes = []string{domain.SlotText, domain.SlotBool, domain.SlotCategorical,
	domain.SlotFloat, domain.SlotList, domain.SlotAny}

// legacySlots collects slots that use constructs Rasa 3 removed, so that
// each construct gets one warning per file.
type legacySlots struct {
	unfeaturized []string
	first        *yaml.Node
}

func (f *domainFile) slots(n *yaml.Node) {
	if !f.s.expectMapping(n, "slots", true) {
		return
	}
	var legacy legacySlots
	for _, p := range pairs(n) {
		name, ok := f.s.name(p.key, "slot name")
		if !ok {
			continue
		}
		f.pos.Slots[name] = f.s.pos(p.key)
		if slot, ok := f.slot(name, p.key, p.val, &legacy); ok {
			f.dom.Slots = append(f.dom.Slots, slot)
		}
	}
	if legacy.first != nil {
		migrationWarning(f.s, legacy.first,
			"slot type unfeaturized (slots "+strings.Join(legacy.unfeaturized, ", ")+")",
			"write type: any with influence_conversation: false; they were read so")
	}
}

func (f *domainFile) slot(name string, k, n *yaml.Node, legacy *legacySlots) (domain.Slot, bool) {
	slot := domain.Slot{Name: name, InfluenceConversation: true, MinValue: 0, MaxValue: 1}
	if !f.s.expectMapping(n, "slot "+name, false) {
		return slot, false
	}
	typeNode := lookup(n, "type")
	if typeNode == nil {
		f.s.errorf(k, "add type: text (or bool, categorical, float, list, any)",
			"slot %q has no type", name)
		return slot, false
	}
	ok := f.slotType(&slot, typeNode, legacy)
	mapped := false
	for _, p := range pairs(n) {
		switch p.key.Value {
		case "type":
		case "influence_conversation":
			slot.InfluenceConversation, _ = f.s.boolean(p.val, p.key.Value)
		case "initial_value":
			slot.InitialValue = toValue(p.val)
		case "values":
			slot.Values = f.s.names(p.val, "values")
		case "min_value":
			slot.MinValue, _ = f.s.number(p.val, p.key.Value)
		case "max_value":
			slot.MaxValue, _ = f.s.number(p.val, p.key.Value)
		case "mappings":
			mapped = true
			slot.Mappings = f.mappings(name, p.val)
		case "auto_fill":
			// A 2.x flag replaced by explicit mappings; mappings decide now.
		default:
			f.s.unknownKey(p.key, "slot "+name, slotKeys)
		}
	}
	if !mapped && name != domain.RequestedSlot && name != domain.SessionStartedMetadata {
		f.unmapped = append(f.unmapped, k)
	}
	return slot, ok && f.checkSlot(&slot, k, lookup(n, "influence_conversation") != nil)
}

func (f *domainFile) slotType(slot *domain.Slot, n *yaml.Node, legacy *legacySlots) bool {
	t, ok := f.s.name(n, "slot type")
	switch {
	case !ok:
		return false
	case t == "unfeaturized":
		legacy.unfeaturized = append(legacy.unfeaturized, slot.Name)
		if legacy.first == nil {
			legacy.first = n
		}
		slot.Type = domain.SlotAny
		return true
	case contains(slotTypes, t):
		slot.Type = t
		return true
	case strings.Contains(t, "."):
		f.s.warnf(n, "use one of "+strings.Join(slotTypes, ", "),
			"custom slot type %q needs Python; Parley reads the slot as type any", t)
		slot.Type = domain.SlotAny
		return true
	}
	f.s.errorf(n, "use one of "+strings.Join(slotTypes, ", "), "unknown slot type %q", t)
	return false
}

// checkSlot applies the per-type defaults and rules.
func (f *domainFile) checkSlot(slot *domain.Slot, k *yaml.Node, influenceSet bool) bool {
	if slot.Type == domain.SlotAny {
		if influenceSet && slot.InfluenceConversation {
			f.s.warnf(k, "set influence_conversation: false",
				"slot %q of type any cannot influence the conversation; it will not", slot.Name)
		}
		slot.InfluenceConversation = false
	}
	if slot.Type == domain.SlotCategorical {
		if len(slot.Values) == 0 {
			f.s.warnf(k, "list the categories under values:",
				"categorical slot %q has no values", slot.Name)
		}
		if !contains(slot.Values, domain.OtherCategory) {
			slot.Values = append(slot.Values, domain.OtherCategory)
		}
	}
	if slot.Type == domain.SlotFloat && slot.MaxValue < slot.MinValue {
		f.s.errorf(k, "make max_value at least min_value",
			"slot %q has max_value %g below min_value %g", slot.Name, slot.MaxValue, slot.MinValue)
		return false
	}
	return true
}
