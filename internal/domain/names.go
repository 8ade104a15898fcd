package domain

// Entity returns the named entity and whether it exists.
func (d *Domain) Entity(name string) (Entity, bool) {
	for _, e := range d.Entities {
		if e.Name == name {
			return e, true
		}
	}
	return Entity{}, false
}

// IntentNames returns the intent names in domain order.
func (d *Domain) IntentNames() []string {
	out := make([]string, len(d.Intents))
	for i, in := range d.Intents {
		out[i] = in.Name
	}
	return out
}

// EntityNames returns the entity names in domain order.
func (d *Domain) EntityNames() []string {
	out := make([]string, len(d.Entities))
	for i, e := range d.Entities {
		out[i] = e.Name
	}
	return out
}

// SlotNames returns the slot names in domain order.
func (d *Domain) SlotNames() []string {
	out := make([]string, len(d.Slots))
	for i, s := range d.Slots {
		out[i] = s.Name
	}
	return out
}

// IsDefaultIntent reports whether name is one of the intents every domain
// has (restart, back, out_of_scope, session_start, nlu_fallback).
func IsDefaultIntent(name string) bool {
	for _, n := range DefaultIntents {
		if n == name {
			return true
		}
	}
	return false
}
