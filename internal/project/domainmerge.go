package project

import (
	"fmt"
	"strings"

	"github.com/parley-chat/parley/internal/domain"
)

// mergedDomain is the domain of a project after all its files are merged.
type mergedDomain struct {
	dom   *domain.Domain
	pos   DomainPositions
	rules []Story
}

// mergeDomains merges domain files in order. Intents, entities and actions
// listed in several files are kept once; a slot, response or form defined
// in two files keeps the first definition, with a warning.
func mergeDomains(files []*domainFile) mergedDomain {
	m := mergedDomain{pos: newDomainPositions(), dom: &domain.Domain{
		Responses: map[string][]domain.Response{}, Session: domain.DefaultSessionConfig,
		StoreEntitiesAsSlots: true,
	}}
	sessionSet := false
	for _, f := range files {
		d := f.dom
		if m.dom.Version == "" {
			m.dom.Version = d.Version
		}
		if f.sessionSet && !sessionSet {
			m.dom.Session, sessionSet = d.Session, true
		}
		m.dom.StoreEntitiesAsSlots = m.dom.StoreEntitiesAsSlots && d.StoreEntitiesAsSlots
		m.mergeLists(f)
		m.mergeDefinitions(f)
		m.pos.LoopConditions = append(m.pos.LoopConditions, f.pos.LoopConditions...)
		m.dom.ActionTexts = append(m.dom.ActionTexts, d.ActionTexts...)
		m.rules = append(m.rules, f.rules...)
	}
	for _, f := range files {
		f.migrateUnmappedSlots(m.dom)
	}
	addDefaultIntents(m.dom)
	return m
}

func (m *mergedDomain) mergeLists(f *domainFile) {
	for _, in := range f.dom.Intents {
		if _, dup := m.pos.Intents[in.Name]; !dup {
			m.pos.Intents[in.Name] = f.pos.Intents[in.Name]
			m.dom.Intents = append(m.dom.Intents, in)
		}
	}
	for _, e := range f.dom.Entities {
		if _, dup := m.pos.Entities[e.Name]; !dup {
			m.pos.Entities[e.Name] = f.pos.Entities[e.Name]
			m.dom.Entities = append(m.dom.Entities, e)
		}
	}
	for _, a := range f.dom.Actions {
		if _, dup := m.pos.Actions[a.Name]; !dup {
			m.pos.Actions[a.Name] = f.pos.Actions[a.Name]
			m.dom.Actions = append(m.dom.Actions, a)
		}
	}
}

func (m *mergedDomain) mergeDefinitions(f *domainFile) {
	for _, s := range f.dom.Slots {
		if m.keepFirst(f, "slot", s.Name, m.pos.Slots, f.pos.Slots) {
			m.dom.Slots = append(m.dom.Slots, s)
		}
	}
	for _, fm := range f.dom.Forms {
		if m.keepFirst(f, "form", fm.Name, m.pos.Forms, f.pos.Forms) {
			m.dom.Forms = append(m.dom.Forms, fm)
		}
	}
	for name, vs := range f.dom.Responses {
		if m.keepFirst(f, "response", name, m.pos.Responses, f.pos.Responses) {
			m.dom.Responses[name] = vs
		}
	}
}

// keepFirst records name's position and reports whether it is new; a second
// definition is reported as a warning.
func (m *mergedDomain) keepFirst(f *domainFile, what, name string, seen, here map[string]Pos) bool {
	prev, dup := seen[name]
	if !dup {
		seen[name] = here[name]
		return true
	}
	f.s.add(here[name], Warning, "keep one definition",
		fmt.Sprintf("%s %q is also defined at %s; that first definition is used",
			what, name, prev))
	return false
}

// migrateUnmappedSlots gives slots declared without mappings (before Rasa 3)
// a from_entity mapping when an entity of the same name exists, as Rasa 2's
// auto-fill did, with one warning per file.
func (f *domainFile) migrateUnmappedSlots(d *domain.Domain) {
	if len(f.unmapped) == 0 {
		return
	}
	var filled, empty []string
	for _, k := range f.unmapped {
		if !hasEntity(d, k.Value) {
			empty = append(empty, k.Value)
			continue
		}
		filled = append(filled, k.Value)
		for i := range d.Slots {
			if d.Slots[i].Name == k.Value && len(d.Slots[i].Mappings) == 0 {
				d.Slots[i].Mappings = []domain.SlotMapping{
					{Type: domain.MapFromEntity, Entity: k.Value}}
			}
		}
	}
	hint := "add mappings: to every slot, e.g. mappings: [{type: from_entity, entity: <name>}]"
	if len(filled) > 0 {
		hint += "; filled now from the entity of the same name: " + strings.Join(filled, ", ")
	}
	if len(empty) > 0 {
		hint += "; set only by actions (no entity of that name): " + strings.Join(empty, ", ")
	}
	names := make([]string, 0, len(f.unmapped))
	for _, k := range f.unmapped {
		names = append(names, k.Value)
	}
	migrationWarning(f.s, f.unmapped[0], "slots without mappings ("+strings.Join(names, ", ")+")",
		hint)
}

func hasEntity(d *domain.Domain, name string) bool {
	_, ok := d.Entity(name)
	return ok
}

// addDefaultIntents appends the intents every Rasa domain has.
func addDefaultIntents(d *domain.Domain) {
	for _, name := range domain.DefaultIntents {
		if _, ok := d.Intent(name); !ok {
			d.Intents = append(d.Intents, domain.Intent{Name: name, UseAllEntities: true})
		}
	}
}
