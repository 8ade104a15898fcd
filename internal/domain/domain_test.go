package domain

import (
	"slices"
	"testing"
)

func TestLookups(t *testing.T) {
	d := &Domain{
		Intents:  []Intent{{Name: "greet"}, {Name: "größe"}},
		Entities: []Entity{{Name: "city", Roles: []string{"from"}}},
		Slots:    []Slot{{Name: "city", Type: SlotText}},
		Forms:    []Form{{Name: "trip_form"}},
		Actions:  []Action{{Name: "action_book", SendDomain: true}},
	}
	if _, ok := d.Intent("größe"); !ok {
		t.Error("intent größe not found")
	}
	if e, ok := d.Entity("city"); !ok || e.Roles[0] != "from" {
		t.Errorf("entity city: %+v %v", e, ok)
	}
	if _, ok := d.Entity("town"); ok {
		t.Error("found an entity that does not exist")
	}
	if _, ok := d.Slot("city"); !ok || !d.HasAction("action_book") || d.HasAction("x") {
		t.Error("slot or action lookup wrong")
	}
	if _, ok := d.Form("trip_form"); !ok {
		t.Error("form not found")
	}
	if !slices.Equal(d.IntentNames(), []string{"greet", "größe"}) ||
		!slices.Equal(d.EntityNames(), []string{"city"}) ||
		!slices.Equal(d.SlotNames(), []string{"city"}) {
		t.Error("name lists wrong")
	}
	if !IsDefaultIntent("nlu_fallback") || IsDefaultIntent("greet") {
		t.Error("IsDefaultIntent wrong")
	}
}
