package tracker

import (
	"maps"
	"slices"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
)

// Slot returns the value of a slot (nil when unset or unknown).
func (t *Tracker) Slot(name string) any { return t.slots[name] }

// HasSlot reports whether the tracker knows the slot.
func (t *Tracker) HasSlot(name string) bool {
	_, ok := t.slots[name]
	return ok
}

// Slots returns a copy of every slot's current value.
func (t *Tracker) Slots() map[string]any { return maps.Clone(t.slots) }

// SlotNames returns the slot names, sorted.
func (t *Tracker) SlotNames() []string {
	return slices.Sorted(maps.Keys(t.slots))
}

// LatestMessage returns the latest applied user event, or nil.
func (t *Tracker) LatestMessage() *event.Event { return t.latestMessage }

// LatestParse returns the parse of the latest user message (an empty parse
// when there is none).
func (t *Tracker) LatestParse() nlu.Parse {
	if t.latestMessage == nil || t.latestMessage.Parse == nil {
		return nlu.Parse{}
	}
	return *t.latestMessage.Parse
}

// LatestIntent returns the intent of the latest user message, or "".
func (t *Tracker) LatestIntent() string { return t.LatestParse().Intent.Name }

// LatestEntities returns the entities of the latest user message.
func (t *Tracker) LatestEntities() []nlu.Entity { return t.LatestParse().Entities }

// LatestEntityValues returns the values of the latest message's entities of
// the given type, role and group ("" matches only an absent role or group).
func (t *Tracker) LatestEntityValues(entity, role, group string) []any {
	var out []any
	for _, e := range t.LatestEntities() {
		if e.Entity == entity && e.Role == role && e.Group == group {
			out = append(out, e.Value)
		}
	}
	return out
}

// LatestActionName returns the name of the latest action, or "" (also for an
// end-to-end bot text).
func (t *Tracker) LatestActionName() string {
	if t.latestAction == nil {
		return ""
	}
	return t.latestAction.Name
}

// HasLatestAction reports whether any action ran since the last reset.
func (t *Tracker) HasLatestAction() bool { return t.latestAction != nil }

// LatestBotUtterance returns the latest bot event, or nil.
func (t *Tracker) LatestBotUtterance() *event.Event { return t.latestBot }

// ActiveLoop returns the active loop, or nil.
func (t *Tracker) ActiveLoop() *Loop { return t.activeLoop }

// ActiveLoopName returns the active loop's name, or "" when none is active.
// A rule's ShouldNotBeSet marker reads as no loop.
func (t *Tracker) ActiveLoopName() string {
	if t.activeLoop == nil || t.activeLoop.Name == ShouldNotBeSet {
		return ""
	}
	return t.activeLoop.Name
}

// IsActiveLoopRejected reports whether the active loop rejected itself.
func (t *Tracker) IsActiveLoopRejected() bool {
	return t.activeLoop != nil && t.activeLoop.Rejected
}

// IsActiveLoopInterrupted reports whether the active loop was interrupted.
func (t *Tracker) IsActiveLoopInterrupted() bool {
	return t.activeLoop != nil && t.activeLoop.IsInterrupted
}

// Followup returns the followup action to run next, or "".
func (t *Tracker) Followup() string { return t.followup }

// ClearFollowup forgets the pending followup action.
func (t *Tracker) ClearFollowup() { t.followup = "" }

// Paused reports whether the conversation is paused.
func (t *Tracker) Paused() bool { return t.paused }

// LatestInputChannel returns the input channel of the latest user event.
func (t *Tracker) LatestInputChannel() string {
	for i := len(t.Events) - 1; i >= 0; i-- {
		if t.Events[i].Type == event.User {
			return t.Events[i].InputChannel
		}
	}
	return ""
}

// LastUserEvent returns the latest applied user event, or nil.
func (t *Tracker) LastUserEvent() *event.Event {
	applied := t.AppliedEvents()
	for i := len(applied) - 1; i >= 0; i-- {
		if applied[i].Type == event.User {
			return &applied[i]
		}
	}
	return nil
}

// EventsAfterLatestRestart returns the events after the last restart.
func (t *Tracker) EventsAfterLatestRestart() []event.Event {
	for i := len(t.Events) - 1; i >= 0; i-- {
		if t.Events[i].Type == event.Restart {
			return slices.Clone(t.Events[i+1:])
		}
	}
	return slices.Clone(t.Events)
}

// EventsSinceLastUser returns the events after the latest user event (all
// events when there is none).
func (t *Tracker) EventsSinceLastUser() []event.Event {
	for i := len(t.Events) - 1; i >= 0; i-- {
		if t.Events[i].Type == event.User {
			return t.Events[i+1:]
		}
	}
	return t.Events
}
