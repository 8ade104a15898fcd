package domain

// Intent returns the named intent and whether it exists.
func (d *Domain) Intent(name string) (Intent, bool) {
	for _, in := range d.Intents {
		if in.Name == name {
			return in, true
		}
	}
	return Intent{}, false
}

// Slot returns the named slot and whether it exists.
func (d *Domain) Slot(name string) (Slot, bool) {
	for _, s := range d.Slots {
		if s.Name == name {
			return s, true
		}
	}
	return Slot{}, false
}

// Form returns the named form and whether it exists.
func (d *Domain) Form(name string) (Form, bool) {
	for _, f := range d.Forms {
		if f.Name == name {
			return f, true
		}
	}
	return Form{}, false
}

// HasAction reports whether name is a custom action the domain lists.
func (d *Domain) HasAction(name string) bool {
	for _, a := range d.Actions {
		if a.Name == name {
			return true
		}
	}
	return false
}
