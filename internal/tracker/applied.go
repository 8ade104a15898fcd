package tracker

import "github.com/parley-chat/parley/internal/event"

// AppliedEvents returns the events that stand: a restart or a session start
// drops everything before it, a rewind drops back to and including the
// latest user message (and the action_listen before it), an undo drops the
// latest action and what followed it. Repeated runs of a loop action on its
// happy path are folded so that the loop looks like one action, as Rasa does
// for featurization.
func (t *Tracker) AppliedEvents() []event.Event {
	loops := map[string]bool{}
	for _, e := range t.Events {
		if e.Type == event.ActiveLoop && e.Name != "" && e.Name != ShouldNotBeSet {
			loops[e.Name] = true
		}
	}
	var applied []event.Event
	for _, e := range t.Events {
		switch {
		case e.Type == event.Restart || e.Type == event.SessionStarted:
			applied = applied[:0]
		case e.Type == event.Undo:
			applied = undoTillPrevious(applied, event.Action)
		case e.Type == event.Rewind:
			applied = undoTillPrevious(applied, event.User)
			applied = undoTillPrevious(applied, event.Action)
		case e.Type == event.Action && loops[e.Name] &&
			!firstLoopExecutionOrUnhappyPath(e.Name, applied):
			applied = undoTillPreviousLoopExecution(e.Name, applied)
		default:
			applied = append(applied, e)
		}
	}
	return applied
}

// undoTillPrevious drops events from the end up to and including the last
// event of type typ.
func undoTillPrevious(events []event.Event, typ string) []event.Event {
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Type == typ {
			return events[:i]
		}
	}
	return events
}

// firstLoopExecutionOrUnhappyPath reports whether running loop now is its
// first run, or a return to it after another action answered the user.
func firstLoopExecutionOrUnhappyPath(loop string, applied []event.Event) bool {
	next := ""
	for i := len(applied) - 1; i >= 0; i-- {
		e := applied[i]
		if e.Type == event.ActiveLoop && e.Name == "" {
			return true
		}
		if e.Type == event.ActionRejected && e.Name == loop {
			return true
		}
		if e.Type == event.User && next != "" && next != loop {
			return true
		}
		if e.Type == event.Action {
			if e.Name == loop {
				return false
			}
			next = e.Name
		}
	}
	return true
}

// undoTillPreviousLoopExecution removes the actions and user messages after
// the previous run of loop, keeping the other events (slots, loops).
func undoTillPreviousLoopExecution(loop string, done []event.Event) []event.Event {
	out := done
	offset := 0
	for i := len(done) - 1; i >= 0; i-- {
		e := done[i]
		if e.Type == event.Action && e.Name == loop {
			break
		}
		if e.Type == event.Action || e.Type == event.User || e.Type == event.UserFeaturization {
			k := len(out) - 1 - offset
			out = append(out[:k:k], out[k+1:]...)
		} else {
			offset++
		}
	}
	return out
}
