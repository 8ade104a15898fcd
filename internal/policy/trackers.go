package policy

import (
	"strings"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/tracker"
)

// Names of built-in actions the policies predict or read.
const (
	ActionListen         = "action_listen"
	ActionRestart        = "action_restart"
	ActionBack           = "action_back"
	ActionSessionStart   = "action_session_start"
	ActionDefaultFallbck = "action_default_fallback"
	ActionDeactivateLoop = "action_deactivate_loop"
	// RuleSnippetAction marks where a rule starts ("...") and, for
	// wait_for_user_input: false, where it ends without listening.
	RuleSnippetAction = "..."
	// filledValue is what a bare `- slot_name` in slot_was_set means.
	filledValue = "filled"
)

// trainingTracker is one story or rule path written as events. Each event's
// Timestamp is its index in events, so that positions survive
// AppliedEvents; pos and unpredictable are keyed by that index.
type trainingTracker struct {
	name          string
	isRule        bool
	events        []event.Event
	pos           map[int]project.Pos
	unpredictable map[int]bool
}

// example is one training example: the states before an action and the
// action, with where the action is written.
type example struct {
	states []tracker.State
	action string
	pos    project.Pos
	// name is the story or rule the example comes from.
	name string
}

// add appends an event, remembering the step position it came from.
func (tt *trainingTracker) add(e event.Event, pos project.Pos) {
	i := len(tt.events)
	if pos.File == "" && i > 0 {
		pos = tt.pos[i-1]
	}
	e.Timestamp = float64(i)
	tt.events = append(tt.events, e)
	if pos.File != "" {
		tt.pos[i] = pos
	}
}

func (tt *trainingTracker) clone() *trainingTracker {
	c := &trainingTracker{name: tt.name, isRule: tt.isRule,
		events:        append([]event.Event(nil), tt.events...),
		pos:           make(map[int]project.Pos, len(tt.pos)),
		unpredictable: make(map[int]bool, len(tt.unpredictable))}
	for k, v := range tt.pos {
		c.pos[k] = v
	}
	for k, v := range tt.unpredictable {
		c.unpredictable[k] = v
	}
	return c
}

// lastIsListen reports whether the last event is action_listen.
func (tt *trainingTracker) lastIsListen() bool {
	n := len(tt.events)
	return n > 0 && tt.events[n-1].Type == event.Action && tt.events[n-1].Name == ActionListen
}

// examples replays the tracker and returns one example per predictable
// action, with the states before it (all of them: callers slice).
func (tt *trainingTracker) examples(d *domain.Domain) []example {
	t := tracker.New(tt.name, d)
	t.IsRuleTracker = tt.isRule
	t.Events = tt.events
	applied := t.AppliedEvents()
	states := t.PastStates(tracker.StateOptions{})
	var out []example
	k := 0
	for _, e := range applied {
		if e.Type != event.Action {
			continue
		}
		k++
		idx := int(e.Timestamp)
		if tt.unpredictable[idx] {
			continue
		}
		name := e.Name
		if name == "" {
			name = e.ActionText
		}
		out = append(out, example{states: states[:k], action: name, pos: tt.pos[idx],
			name: tt.name})
	}
	return out
}

// stepConverter turns story and rule steps into events.
type stepConverter struct {
	d    *domain.Domain
	rule bool
}

// UserEvent returns the user event a story's intent step stands for: the
// intent (a retrieval intent keeps its full name apart), the step's
// entities and its end-to-end text.
func UserEvent(s project.Step) event.Event {
	p := &nlu.Parse{Text: s.UserText}
	name, _, retrieval := strings.Cut(s.Intent, "/")
	p.Intent = nlu.Intent{Name: name, Confidence: 1}
	if retrieval {
		p.Intent.FullRetrievalName = s.Intent
	}
	for _, e := range s.Entities {
		ent := nlu.Entity{Entity: e.Entity, Role: e.Role, Group: e.Group}
		if e.HasValue {
			ent.Value = e.Value
		}
		p.Entities = append(p.Entities, ent)
	}
	for _, a := range s.UserEntities {
		p.Entities = append(p.Entities, nlu.Entity{Entity: a.Entity, Value: a.Value,
			Role: a.Role, Group: a.Group})
	}
	return event.Event{Type: event.User, Text: s.UserText, Parse: p}
}

// SlotsForEntities returns the slot events Rasa adds after a story's user
// step: slots with an unconditional from_entity mapping for its entities.
func SlotsForEntities(d *domain.Domain, ents []nlu.Entity) []event.Event {
	if !d.StoreEntitiesAsSlots {
		return nil
	}
	var out []event.Event
	for _, sl := range d.Slots {
		var vals []any
		for _, m := range sl.Mappings {
			if m.Type != domain.MapFromEntity || conditionedOnLoop(m) {
				continue
			}
			for _, e := range ents {
				if e.Entity == m.Entity && e.Role == m.Role && e.Group == m.Group {
					vals = append(vals, e.Value)
				}
			}
		}
		if len(vals) == 0 {
			continue
		}
		var v any = vals[len(vals)-1]
		if sl.Type == domain.SlotList {
			v = vals
		}
		out = append(out, event.Event{Type: event.Slot, Name: sl.Name, Value: v})
	}
	return out
}

func conditionedOnLoop(m domain.SlotMapping) bool {
	return len(m.Conditions) > 0 && m.Conditions[0].ActiveLoop != ""
}

// NormalizeActionName maps the names stories may use to the action that
// runs: retrieval actions with their response key ("utter_faq/ask_hours")
// to the retrieval action, and the 2.x action_deactivate_form.
func NormalizeActionName(name string) string {
	if strings.HasPrefix(name, "utter_") {
		if base, _, ok := strings.Cut(name, "/"); ok {
			return base
		}
	}
	if name == "action_deactivate_form" {
		return ActionDeactivateLoop
	}
	return name
}

// stepEvents appends the events of one (non-checkpoint, non-or) step.
func (c stepConverter) stepEvents(tt *trainingTracker, s project.Step) {
	switch s.Kind {
	case project.StepIntent:
		if !tt.lastIsListen() {
			tt.add(event.Event{Type: event.Action, Name: ActionListen}, s.Pos)
		}
		u := UserEvent(s)
		tt.add(u, s.Pos)
		for _, e := range SlotsForEntities(c.d, u.Parse.Entities) {
			tt.add(e, s.Pos)
		}
	case project.StepAction:
		tt.add(event.Event{Type: event.Action, Name: c.actionName(s.Action)}, s.Pos)
	case project.StepBot:
		tt.add(event.Event{Type: event.Action, ActionText: s.BotText}, s.Pos)
	case project.StepActiveLoop:
		name := s.ActiveLoop
		if name == "" && c.rule {
			name = tracker.ShouldNotBeSet
		}
		tt.add(event.Event{Type: event.ActiveLoop, Name: name}, s.Pos)
	case project.StepSlotWasSet:
		for _, sv := range s.Slots {
			tt.add(event.Event{Type: event.Slot, Name: sv.Name, Value: c.slotValue(sv)}, s.Pos)
		}
	}
}

// actionName normalises a story's action name; the 2.x retrieval action
// respond_faq becomes utter_faq.
func (c stepConverter) actionName(name string) string {
	if base, ok := strings.CutPrefix(name, "respond_"); ok {
		if in, known := c.d.Intent(base); known && in.IsRetrieval {
			return "utter_" + base
		}
	}
	return NormalizeActionName(name)
}

func (c stepConverter) slotValue(sv project.SlotValue) any {
	switch {
	case !sv.HasValue:
		return filledValue
	case sv.Value == nil && c.rule:
		return tracker.ShouldNotBeSet
	}
	return sv.Value
}

// ruleTrackers turns each rule into one tracker per `or` alternative.
func ruleTrackers(d *domain.Domain, rules []project.Story, limit int) []*trainingTracker {
	c := stepConverter{d: d, rule: true}
	var out []*trainingTracker
	for _, r := range rules {
		start := &trainingTracker{name: r.Name, isRule: true,
			pos: map[int]project.Pos{}, unpredictable: map[int]bool{}}
		for _, s := range r.Condition {
			c.stepEvents(start, s)
		}
		if !r.ConversationStart {
			start.add(event.Event{Type: event.Action, Name: RuleSnippetAction}, r.Pos)
		}
		for _, tt := range expandSteps(c, start, r.Steps, limit) {
			if !r.WaitForUserInput {
				tt.add(event.Event{Type: event.Action, Name: RuleSnippetAction}, r.Pos)
			} else if !tt.lastIsListen() {
				tt.add(event.Event{Type: event.Action, Name: ActionListen}, r.Pos)
			}
			out = append(out, tt)
		}
	}
	return out
}

// expandSteps appends steps to a copy of start, one copy per combination of
// `or` alternatives (at most limit).
func expandSteps(c stepConverter, start *trainingTracker, steps []project.Step,
	limit int) []*trainingTracker {
	cur := []*trainingTracker{start.clone()}
	for _, s := range steps {
		if s.Kind != project.StepOr {
			for _, tt := range cur {
				c.stepEvents(tt, s)
			}
			continue
		}
		var next []*trainingTracker
		for _, tt := range cur {
			for _, alt := range s.Or {
				if len(next) >= limit {
					break
				}
				n := tt.clone()
				c.stepEvents(n, alt)
				next = append(next, n)
			}
		}
		cur = next
	}
	return cur
}
