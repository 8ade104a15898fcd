package policy

import (
	"slices"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/tracker"
)

// ruleSource is a rule that gave a lookup entry, with the action it wants.
type ruleSource struct {
	Rule   string `json:"rule"`
	Action string `json:"action"`
}

// train learns the rules, the loop unhappy-path conditions and which slots
// and loops only rules use.
func (p *rulePolicy) train(data *trainingData) {
	byKey := map[string]*ruleEntry{}
	var order []string
	for _, ex := range data.ruleExamples {
		kept, key := ruleKey(ex.states)
		if kept == nil {
			continue
		}
		r, ok := byKey[key]
		if !ok {
			r = &ruleEntry{States: kept}
			byKey[key] = r
			order = append(order, key)
		}
		r.Action = ex.action
		src := ruleSource{Rule: ex.name, Action: ex.action}
		if !slices.Contains(r.Sources, src) {
			r.Sources = append(r.Sources, src)
		}
	}
	p.Rules = nil
	for _, key := range order {
		if r := byKey[key]; r.Action != RuleSnippetAction {
			p.Rules = append(p.Rules, r)
		}
	}
	all := append(slices.Clone(data.ruleExamples), data.storyExamples...)
	p.Unhappy = unhappyLookup(all)
	p.RuleOnlySlots, p.RuleOnlyLoops = ruleOnlyData(data)
	p.index()
}

// unhappyLookup learns, from rules and stories, where a loop must not be
// predicted after another action, and where it runs after an answer to
// another question (so must not validate it).
func unhappyLookup(examples []example) []*ruleEntry {
	byKey := map[string]*ruleEntry{}
	var order []string
	for _, ex := range examples {
		last := ex.states[len(ex.states)-1]
		loop := last.ActiveLoop
		if loop == "" || loop == tracker.ShouldNotBeSet {
			continue
		}
		kept, key := ruleKey(unhappyStates(ex.states))
		if kept == nil {
			continue
		}
		marker := ""
		listen := last.PrevAction == ActionListen
		switch {
		case listen && ex.action == loop:
			marker = loopWasInterrupted
		case !listen && ex.action != loop:
			marker = doNotPredictLoopAction
		default:
			continue
		}
		if _, ok := byKey[key]; !ok {
			order = append(order, key)
		}
		byKey[key] = &ruleEntry{States: kept, Action: marker}
	}
	out := make([]*ruleEntry, 0, len(order))
	for _, k := range order {
		out = append(out, byKey[k])
	}
	return out
}

// unhappyStates keeps the last state and the previous action before it.
func unhappyStates(states []tracker.State) []tracker.State {
	n := len(states)
	if n == 1 || !states[n-2].HasPrevAction() {
		return []tracker.State{states[n-1]}
	}
	prev := tracker.State{PrevAction: states[n-2].PrevAction, PrevText: states[n-2].PrevText}
	return []tracker.State{prev, states[n-1]}
}

// ruleOnlyData lists the slots and loops that rules set and stories never
// do.
func ruleOnlyData(data *trainingData) (slots, loops []string) {
	inStories := func(typ, name string) bool {
		for _, tt := range data.stories {
			for _, e := range tt.events {
				if e.Type == typ && e.Name == name {
					return true
				}
			}
		}
		return false
	}
	seen := map[string]bool{}
	for _, tt := range data.rules {
		for _, e := range tt.events {
			if e.Type != event.Slot && (e.Type != event.ActiveLoop || e.Name == "" ||
				e.Name == tracker.ShouldNotBeSet) {
				continue
			}
			if seen[e.Type+"\x00"+e.Name] || inStories(e.Type, e.Name) {
				continue
			}
			seen[e.Type+"\x00"+e.Name] = true
			if e.Type == event.Slot {
				slots = append(slots, e.Name)
			} else {
				loops = append(loops, e.Name)
			}
		}
	}
	slices.Sort(slots)
	slices.Sort(loops)
	return slots, loops
}
