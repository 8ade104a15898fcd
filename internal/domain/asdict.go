package domain

import (
	"encoding/json"
	"slices"
	"strings"
)

// AsDictVersion is the "version" written by AsDict when the domain did not
// declare one.
const AsDictVersion = "3.1"

// slotClasses are the class paths Rasa writes as a slot's "type" in
// Domain.as_dict.
var slotClasses = map[string]string{
	SlotText:        "rasa.shared.core.slots.TextSlot",
	SlotBool:        "rasa.shared.core.slots.BooleanSlot",
	SlotCategorical: "rasa.shared.core.slots.CategoricalSlot",
	SlotFloat:       "rasa.shared.core.slots.FloatSlot",
	SlotList:        "rasa.shared.core.slots.ListSlot",
	SlotAny:         "rasa.shared.core.slots.AnySlot",
}

// AsDict returns the domain as Rasa's Domain.as_dict() writes it, which is
// what action servers receive: intents (sorted, default intents left out)
// with use_entities or ignore_entities, entities with roles and groups, the
// user's slots with their class path, responses, custom action names, forms,
// e2e_actions, session_config and config.
func (d *Domain) AsDict() map[string]any {
	version := d.Version
	if version == "" {
		version = AsDictVersion
	}
	return map[string]any{
		"version": version,
		"config":  map[string]any{"store_entities_as_slots": d.StoreEntitiesAsSlots},
		"session_config": map[string]any{
			"session_expiration_time":         d.Session.ExpirationMinutes,
			"carry_over_slots_to_new_session": d.Session.CarryOverSlots,
		},
		"intents":     d.intentsAsList(),
		"entities":    d.entitiesAsList(),
		"slots":       d.slotsAsMap(),
		"responses":   d.responsesAsMap(),
		"actions":     d.actionNames(),
		"forms":       d.formsAsMap(),
		"e2e_actions": nonNil(d.ActionTexts),
	}
}

// AsDictJSON returns AsDict as JSON (keys sorted).
func (d *Domain) AsDictJSON() ([]byte, error) { return json.Marshal(d.AsDict()) }

// SendsDomain reports whether an action server must receive the domain for
// the action name when selective domain is on: the action declared
// send_domain: true, or its name starts with "validate_".
func (d *Domain) SendsDomain(action string) bool {
	if strings.HasPrefix(action, "validate_") {
		return true
	}
	for _, a := range d.Actions {
		if a.Name == action {
			return a.SendDomain
		}
	}
	return false
}

// intentsAsList writes each intent as {name: {use_entities: ...}} the way
// Rasa's domain file transform does: true when every entity is used, the
// used list when at most half are, the ignored list otherwise.
func (d *Domain) intentsAsList() []any {
	intents := slices.Clone(d.Intents)
	slices.SortFunc(intents, func(a, b Intent) int { return strings.Compare(a.Name, b.Name) })
	all := make([]string, 0, len(d.Entities))
	for _, e := range d.Entities {
		all = append(all, e.Name)
	}
	out := []any{}
	for _, in := range intents {
		if slices.Contains(DefaultIntents, in.Name) {
			continue
		}
		used := usedEntities(in, all)
		props := map[string]any{}
		switch {
		case len(used) == len(all):
			props["use_entities"] = true
		case len(used)*2 <= len(all):
			props["use_entities"] = used
		default:
			props["ignore_entities"] = without(all, used)
		}
		if in.IsRetrieval {
			props["is_retrieval_intent"] = true
		}
		out = append(out, map[string]any{in.Name: props})
	}
	return out
}

// usedEntities returns the sorted entities the intent featurizes.
func usedEntities(in Intent, all []string) []string {
	var used []string
	if in.UseAllEntities {
		used = without(all, in.IgnoreEntities)
	} else {
		for _, e := range in.UseEntities {
			if slices.Contains(all, e) {
				used = append(used, e)
			}
		}
	}
	slices.Sort(used)
	return slices.Compact(nonNil(used))
}

// without returns the sorted names of all that are not in drop.
func without(all, drop []string) []string {
	out := []string{}
	for _, n := range all {
		if !slices.Contains(drop, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

func (d *Domain) entitiesAsList() []any {
	out := []any{}
	for _, e := range d.Entities {
		props := map[string]any{}
		if len(e.Roles) > 0 {
			props["roles"] = e.Roles
		}
		if len(e.Groups) > 0 {
			props["groups"] = e.Groups
		}
		if !e.InfluenceConversation {
			props["influence_conversation"] = false
		}
		if len(props) == 0 {
			out = append(out, e.Name)
			continue
		}
		out = append(out, map[string]any{e.Name: props})
	}
	return out
}

// slotsAsMap writes the user's slots; Rasa leaves its built-in slots out.
func (d *Domain) slotsAsMap() map[string]any {
	out := map[string]any{}
	for _, s := range d.Slots {
		if s.Name == RequestedSlot || s.Name == SessionStartedMetadata {
			continue
		}
		class, ok := slotClasses[s.Type]
		if !ok {
			class = s.Type
		}
		m := map[string]any{
			"type":                   class,
			"initial_value":          s.InitialValue,
			"influence_conversation": s.InfluenceConversation,
			"mappings":               mappingsAsList(s.Mappings),
		}
		switch s.Type {
		case SlotFloat:
			m["min_value"] = s.MinValue
			m["max_value"] = s.MaxValue
		case SlotCategorical:
			m["values"] = slices.DeleteFunc(slices.Clone(s.Values),
				func(v string) bool { return v == OtherCategory })
		}
		out[s.Name] = m
	}
	return out
}

func mappingsAsList(ms []SlotMapping) []any {
	out := make([]any, 0, len(ms))
	for _, m := range ms {
		out = append(out, mappingAsMap(m))
	}
	return out
}

func mappingAsMap(m SlotMapping) map[string]any {
	out := map[string]any{"type": m.Type}
	putString(out, "entity", m.Entity)
	putString(out, "role", m.Role)
	putString(out, "group", m.Group)
	putNames(out, "intent", m.Intent)
	putNames(out, "not_intent", m.NotIntent)
	putString(out, "action", m.Action)
	if m.Type == MapFromIntent || m.Type == MapFromTriggerIntent || m.Value != nil {
		out["value"] = m.Value
	}
	if len(m.Conditions) > 0 {
		conds := make([]any, 0, len(m.Conditions))
		for _, c := range m.Conditions {
			cond := map[string]any{"active_loop": nil}
			putString(cond, "active_loop", c.ActiveLoop)
			putString(cond, "requested_slot", c.RequestedSlot)
			conds = append(conds, cond)
		}
		out["conditions"] = conds
	}
	return out
}

// putNames writes one name as a string and several as a list, as domain
// files usually do.
func putNames(m map[string]any, key string, names []string) {
	switch len(names) {
	case 0:
	case 1:
		m[key] = names[0]
	default:
		m[key] = names
	}
}

func putString(m map[string]any, key, v string) {
	if v != "" {
		m[key] = v
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (d *Domain) actionNames() []string {
	out := make([]string, 0, len(d.Actions))
	for _, a := range d.Actions {
		out = append(out, a.Name)
	}
	return out
}

func (d *Domain) formsAsMap() map[string]any {
	out := map[string]any{}
	for _, f := range d.Forms {
		m := map[string]any{"required_slots": nonNil(f.RequiredSlots)}
		if len(f.IgnoredIntents) > 0 {
			m["ignored_intents"] = f.IgnoredIntents
		}
		out[f.Name] = m
	}
	return out
}

func (d *Domain) responsesAsMap() map[string]any {
	out := make(map[string]any, len(d.Responses))
	for name, variations := range d.Responses {
		list := make([]any, 0, len(variations))
		for _, v := range variations {
			list = append(list, variationAsDict(v))
		}
		out[name] = list
	}
	return out
}

// variationAsDict returns a response variation with the keys a domain file
// would hold.
func variationAsDict(r Response) map[string]any {
	m := map[string]any{}
	putString(m, "text", r.Text)
	putString(m, "image", r.Image)
	if len(r.Buttons) > 0 {
		m["buttons"] = buttonsAsList(r.Buttons)
	}
	if len(r.QuickReplies) > 0 {
		m["quick_replies"] = buttonsAsList(r.QuickReplies)
	}
	if r.Attachment != nil {
		m["attachment"] = r.Attachment
	}
	if r.Elements != nil {
		m["elements"] = r.Elements
	}
	if r.Custom != nil {
		m["custom"] = r.Custom
	}
	putString(m, "channel", r.Channel)
	if len(r.Condition) > 0 {
		conds := make([]any, 0, len(r.Condition))
		for _, c := range r.Condition {
			conds = append(conds, map[string]any{"type": c.Type, "name": c.Name, "value": c.Value})
		}
		m["condition"] = conds
	}
	putString(m, "id", r.ID)
	if len(r.Metadata) > 0 {
		m["metadata"] = r.Metadata
	}
	putString(m, "button_type", r.ButtonType)
	return m
}

func buttonsAsList(bs []Button) []any {
	out := make([]any, 0, len(bs))
	for _, b := range bs {
		out = append(out, map[string]any{"title": b.Title, "payload": b.Payload})
	}
	return out
}
