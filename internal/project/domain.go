package project

import (
	"go.yaml.in/yaml/v3"

	"github.com/parley-chat/parley/internal/domain"
)

// DomainPositions records where each domain item is defined, so that
// checks on the domain can name a file and line.
type DomainPositions struct {
	Intents   map[string]Pos
	Entities  map[string]Pos
	Slots     map[string]Pos
	Responses map[string]Pos
	Actions   map[string]Pos
	Forms     map[string]Pos
	// LoopConditions are the active_loop names of slot mapping
	// conditions, in file order.
	LoopConditions []NamedPos
}

// NamedPos is a name written at a place.
type NamedPos struct {
	Name string
	Pos  Pos
}

func newDomainPositions() DomainPositions {
	return DomainPositions{Intents: map[string]Pos{}, Entities: map[string]Pos{},
		Slots: map[string]Pos{}, Responses: map[string]Pos{}, Actions: map[string]Pos{},
		Forms: map[string]Pos{}}
}

// domainKeys are the top-level keys of a domain file, in reading order.
var domainKeys = []string{"version", "session_config", "config", "intents", "entities",
	"slots", "responses", "templates", "actions", "forms", "e2e_actions"}

// domainFile is one domain file read, before files are merged.
type domainFile struct {
	s          *source
	dom        *domain.Domain
	pos        DomainPositions
	rules      []Story
	sessionSet bool
	// unmapped are the key nodes of slots declared without mappings.
	unmapped []*yaml.Node
}

// readDomain reads the top node of one domain file.
func readDomain(s *source, top *yaml.Node) *domainFile {
	f := &domainFile{s: s, pos: newDomainPositions(), dom: &domain.Domain{
		Responses: map[string][]domain.Response{}, Session: domain.DefaultSessionConfig,
		StoreEntitiesAsSlots: true,
	}}
	if top == nil || !s.expectMapping(top, "a domain file", false) {
		return f
	}
	for _, p := range pairs(top) {
		if !contains(domainKeys, p.key.Value) {
			s.warnf(p.key, "remove it, or check its spelling",
				"unknown top-level key %q in the domain is ignored", p.key.Value)
		}
	}
	for _, key := range domainKeys {
		if v := lookup(top, key); v != nil {
			f.readSection(key, lookupKeyNode(top, key), v)
		}
	}
	return f
}

// lookupKeyNode returns the key node named key in mapping n.
func lookupKeyNode(n *yaml.Node, key string) *yaml.Node {
	for _, p := range pairs(n) {
		if p.key.Value == key {
			return p.key
		}
	}
	return nil
}

func (f *domainFile) readSection(key string, k, v *yaml.Node) {
	s := f.s
	switch key {
	case "version":
		f.dom.Version = s.checkVersion(v)
	case "session_config":
		f.session(v)
	case "config":
		f.config(v)
	case "intents":
		f.intents(v)
	case "entities":
		f.entities(v)
	case "slots":
		f.slots(v)
	case "responses", "templates":
		f.responses(k, v)
	case "actions":
		f.actions(v)
	case "forms":
		f.forms(v)
	case "e2e_actions":
		f.dom.ActionTexts = append(f.dom.ActionTexts, s.names(v, "e2e_actions")...)
	}
}

func (f *domainFile) session(n *yaml.Node) {
	if !f.s.expectMapping(n, "session_config", true) {
		return
	}
	f.sessionSet = true
	for _, p := range pairs(n) {
		switch p.key.Value {
		case "session_expiration_time":
			if isNull(p.val) {
				continue
			}
			if v, ok := f.s.number(p.val, "session_expiration_time"); ok && v < 0 {
				f.s.errorf(p.val, "use minutes >= 0 (0 means never)",
					"session_expiration_time is negative")
			} else {
				f.dom.Session.ExpirationMinutes = v
			}
		case "carry_over_slots_to_new_session":
			f.dom.Session.CarryOverSlots, _ = f.s.boolean(p.val, p.key.Value)
		default:
			f.s.warnf(p.key, "remove it", "unknown session_config key %q is ignored", p.key.Value)
		}
	}
}

func (f *domainFile) config(n *yaml.Node) {
	if !f.s.expectMapping(n, "config", true) {
		return
	}
	for _, p := range pairs(n) {
		if p.key.Value == "store_entities_as_slots" {
			f.dom.StoreEntitiesAsSlots, _ = f.s.boolean(p.val, p.key.Value)
			continue
		}
		f.s.warnf(p.key, "remove it", "unknown domain config key %q is ignored", p.key.Value)
	}
}

func (f *domainFile) responses(k, n *yaml.Node) {
	legacy := k.Value == "templates"
	r := responseReader{s: f.s, legacy: legacy, pos: f.pos.Responses}
	for name, vs := range r.read(n) {
		f.dom.Responses[name] = vs
	}
	if legacy {
		migrationWarning(f.s, k, "the domain key `templates`", "rename templates: to responses:")
	}
	if r.bare != nil {
		migrationWarning(f.s, r.bare, "response variations written as bare text",
			`write each variation as - text: "..."`)
	}
}

// definedTwice reports a name that a list already holds.
func (f *domainFile) definedTwice(seen map[string]Pos, n *yaml.Node, what, name string) bool {
	if prev, dup := seen[name]; dup {
		f.s.errorf(n, "remove one of them", "%s %q is listed twice (first at line %d)",
			what, name, prev.Line)
		return true
	}
	seen[name] = f.s.pos(n)
	return false
}
