package tracker

import "github.com/parley-chat/parley/internal/event"

// StateOptions changes how PastStates sees the conversation, for the
// policies trained on stories only (memoization, learned policies).
type StateOptions struct {
	// IgnoreRuleOnlyTurns skips turns whose action a rule predicted and
	// that stories never show (actions marked hide_rule_turn).
	IgnoreRuleOnlyTurns bool
	// RuleOnlySlots and RuleOnlyLoops are dropped from every state.
	RuleOnlySlots map[string]bool
	RuleOnlyLoops map[string]bool
}

// PastStates returns one state before each applied action and the current
// state last, as Rasa's past_states does.
func (t *Tracker) PastStates(opts StateOptions) []State {
	var states []State
	run := New(t.SenderID, t.domain)
	var lastML *State
	hidden := false
	emit := func(hide bool) {
		if opts.IgnoreRuleOnlyTurns {
			if !hidden {
				s := run.currentState()
				lastML = &s
			}
			if run.followup == "" && run.LatestActionName() != run.ActiveLoopName() {
				hidden = hide
			}
			if hidden {
				return
			}
		}
		s := run.currentState()
		if opts.IgnoreRuleOnlyTurns {
			removeRuleOnly(&s, opts)
			if len(states) > 0 {
				substituteUserInput(&s, states[len(states)-1])
			}
			if lastML != nil {
				if s.PrevAction == ActionListen {
					lastML = nil
				} else {
					s.PrevAction, s.PrevText = lastML.PrevAction, lastML.PrevText
				}
			}
		}
		states = append(states, s)
	}
	for _, e := range t.AppliedEvents() {
		if e.Type == event.Action {
			emit(e.HideRuleTurn)
		}
		run.apply(e)
	}
	emit(false)
	return states
}

// removeRuleOnly drops the slots and the loop that only rules mention.
func removeRuleOnly(s *State, opts StateOptions) {
	if len(opts.RuleOnlySlots) > 0 {
		kept := s.Slots[:0:0]
		for _, f := range s.Slots {
			if !opts.RuleOnlySlots[f.Name] {
				kept = append(kept, f)
			}
		}
		s.Slots = kept
	}
	if opts.RuleOnlyLoops[s.ActiveLoop] {
		s.ActiveLoop = ""
	}
}

// substituteUserInput keeps the user input of a turn that follows hidden
// rule turns equal to that of the last state the policy saw.
func substituteUserInput(s *State, last State) {
	if s.PrevAction == ActionListen {
		return
	}
	s.Intent, s.Entities, s.Text = last.Intent, last.Entities, last.Text
}
