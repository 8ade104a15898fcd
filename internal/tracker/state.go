package tracker

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
)

// State is what the policies see of one dialogue turn: the latest user
// input, the previous action, the active loop and the featurized slots. It
// mirrors Rasa's state dict; absent parts are empty.
type State struct {
	// Intent is the user's intent, with a retrieval intent cut to its base
	// ("faq" for "faq/ask_hours").
	Intent string
	// Entities are the featurized entity labels ("city", "city#from"),
	// sorted.
	Entities []string
	// Text is the user's text, kept only when there is no intent.
	Text string
	// PrevAction is the previous action's name; PrevText an end-to-end bot
	// text instead.
	PrevAction string
	PrevText   string
	// ActiveLoop is the active loop's name or ShouldNotBeSet.
	ActiveLoop string
	// Slots are the featurized slots that are set, sorted by name.
	Slots []SlotFeature
}

// SlotFeature is one slot's featurized value: "1" for a set text slot, the
// category for a categorical slot, ShouldNotBeSet for a rule's null.
type SlotFeature struct {
	Name  string
	Value string
}

// HasUser reports whether the state holds user input.
func (s State) HasUser() bool { return s.Intent != "" || s.Text != "" || len(s.Entities) > 0 }

// HasPrevAction reports whether the state holds a previous action. Only the
// state at the start of a conversation has none.
func (s State) HasPrevAction() bool { return s.PrevAction != "" || s.PrevText != "" }

// Slot returns the feature of the named slot and whether it is there.
func (s State) Slot(name string) (string, bool) {
	for _, f := range s.Slots {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}

// Key returns a canonical string for the state; equal states have equal
// keys.
func (s State) Key() string {
	var b strings.Builder
	b.WriteString(s.Intent)
	b.WriteByte('\x1f')
	b.WriteString(strings.Join(s.Entities, ","))
	b.WriteByte('\x1f')
	b.WriteString(strconv.Quote(s.Text))
	b.WriteByte('\x1f')
	b.WriteString(s.PrevAction)
	b.WriteByte('\x1f')
	b.WriteString(strconv.Quote(s.PrevText))
	b.WriteByte('\x1f')
	b.WriteString(s.ActiveLoop)
	for _, f := range s.Slots {
		b.WriteByte('\x1f')
		b.WriteString(f.Name)
		b.WriteByte('=')
		b.WriteString(f.Value)
	}
	return b.String()
}

// String writes the state the way Rasa's debug log does.
func (s State) String() string {
	var parts []string
	if s.Intent != "" {
		parts = append(parts, "user intent: "+s.Intent)
	}
	if s.Text != "" {
		parts = append(parts, "user text: "+s.Text)
	}
	for _, e := range s.Entities {
		parts = append(parts, "user entities: "+e)
	}
	if s.PrevAction != "" {
		parts = append(parts, "previous action name: "+s.PrevAction)
	}
	if s.PrevText != "" {
		parts = append(parts, "previous action text: "+s.PrevText)
	}
	if s.ActiveLoop != "" {
		parts = append(parts, "active loop: "+s.ActiveLoop)
	}
	for _, f := range s.Slots {
		parts = append(parts, "slot: "+f.Name+"="+f.Value)
	}
	return strings.Join(parts, " | ")
}

// currentState returns the state of the tracker as it is now.
func (t *Tracker) currentState() State {
	var s State
	if m := t.latestMessage; m != nil {
		t.userState(&s, *m)
	}
	if a := t.latestAction; a != nil {
		s.PrevAction, s.PrevText = a.Name, a.ActionText
		if s.PrevAction != "" {
			s.PrevText = ""
		}
	}
	if t.activeLoop != nil {
		s.ActiveLoop = t.activeLoop.Name
	}
	for _, sl := range t.domain.Slots {
		if v, ok := SlotFeatureValue(sl, t.slots[sl.Name]); ok {
			s.Slots = append(s.Slots, SlotFeature{sl.Name, v})
		}
	}
	slices.SortFunc(s.Slots, func(a, b SlotFeature) int { return strings.Compare(a.Name, b.Name) })
	return s
}

// userState fills the user part of s from a user event.
func (t *Tracker) userState(s *State, m event.Event) {
	if m.Parse != nil {
		s.Intent, _, _ = strings.Cut(m.Parse.Intent.Name, "/")
	}
	if s.Intent == "" {
		s.Text = m.Text
	}
	if m.Parse == nil {
		return
	}
	wanted := t.wantedEntities(s.Intent)
	seen := map[string]bool{}
	for _, e := range m.Parse.Entities {
		if !wanted(e.Entity) {
			continue
		}
		seen[e.Entity] = true
		if e.Role != "" {
			seen[e.Entity+"#"+e.Role] = true
		}
		if e.Group != "" {
			seen[e.Entity+"#"+e.Group] = true
		}
	}
	for k := range seen {
		s.Entities = append(s.Entities, k)
	}
	slices.Sort(s.Entities)
}

// wantedEntities returns a test for the entities the intent lets influence
// the conversation: declared in the domain with influence_conversation,
// and allowed by the intent's use_entities and ignore_entities.
func (t *Tracker) wantedEntities(intent string) func(string) bool {
	d := t.domain
	influence := map[string]bool{}
	for _, e := range d.Entities {
		influence[e.Name] = e.InfluenceConversation
	}
	in, ok := d.Intent(intent)
	return func(name string) bool {
		if !influence[name] {
			return false
		}
		if !ok || in.UseAllEntities {
			return !ok || !slices.Contains(in.IgnoreEntities, name)
		}
		return slices.Contains(in.UseEntities, name)
	}
}

// SlotFeatureValue returns how a slot value is featurized and false when it
// adds no feature (unset, or a slot that does not influence the
// conversation).
func SlotFeatureValue(sl domain.Slot, v any) (string, bool) {
	if !sl.InfluenceConversation || v == nil {
		return "", false
	}
	if s, ok := v.(string); ok && s == ShouldNotBeSet {
		return ShouldNotBeSet, true
	}
	switch sl.Type {
	case domain.SlotAny:
		return "", false
	case domain.SlotBool:
		if truthy(v) {
			return "1,1", true
		}
		return "1,0", true
	case domain.SlotCategorical:
		return categoryFeature(sl, v)
	case domain.SlotFloat:
		return floatFeature(sl, v)
	case domain.SlotList:
		if l, ok := v.([]any); ok && len(l) == 0 {
			return "", false
		}
		return "1", true
	}
	return "1", true
}

func categoryFeature(sl domain.Slot, v any) (string, bool) {
	s := strings.ToLower(fmt.Sprint(v))
	for _, c := range sl.Values {
		if strings.ToLower(c) == s {
			return "cat:" + strings.ToLower(c), true
		}
	}
	if slices.Contains(sl.Values, domain.OtherCategory) {
		return "cat:" + domain.OtherCategory, true
	}
	return "", false
}

func floatFeature(sl domain.Slot, v any) (string, bool) {
	f, ok := toFloat(v)
	if !ok {
		return "", false
	}
	lo, hi := sl.MinValue, sl.MaxValue
	if lo == 0 && hi == 0 {
		hi = 1
	}
	f = max(lo, min(hi, f))
	norm := 1.0
	if hi != lo {
		norm = (f - lo) / (hi - lo)
	}
	if norm == 0 {
		return "", false
	}
	return strconv.FormatFloat(norm, 'g', -1, 64), true
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

// truthy converts a slot value to a bool as Rasa's bool_from_any does.
func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case float64:
		return x == 1
	case int:
		return x == 1
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "false", "0", "no", "off", "":
			return false
		}
		return true
	}
	return v != nil
}
