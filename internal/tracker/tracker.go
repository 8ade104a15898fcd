package tracker

import (
	"slices"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
)

// Names of built-in actions the tracker itself refers to.
const (
	ActionListen       = "action_listen"
	ActionSessionStart = "action_session_start"
)

// ShouldNotBeSet is the value a rule gives a slot or the active loop when
// it says `null`: the feature must be absent for the rule to apply.
const ShouldNotBeSet = "should_not_be_set"

// Loop is the active loop (a form) and its flags.
type Loop struct {
	Name string
	// IsInterrupted is set when the user went off the loop's happy path.
	IsInterrupted bool
	// Rejected is set when the loop action rejected its execution.
	Rejected bool
	// TriggerMessage is the parse of the message that activated the loop.
	TriggerMessage *nlu.Parse
}

// Tracker is one conversation: its events and the state they give. The zero
// value is not usable; build one with New or FromEvents.
type Tracker struct {
	SenderID string
	// Events is the whole log, including events a restart, rewind or undo
	// cancelled.
	Events []event.Event
	// IsRuleTracker marks trackers built from rules for training.
	IsRuleTracker bool

	domain *domain.Domain
	slots  map[string]any
	// latestMessage is the last applied user event, nil before any.
	latestMessage *event.Event
	latestAction  *event.Event
	latestBot     *event.Event
	activeLoop    *Loop
	followup      string
	paused        bool
}

// New returns an empty tracker for the conversation id over domain d.
func New(id string, d *domain.Domain) *Tracker {
	if d == nil {
		d = &domain.Domain{}
	}
	t := &Tracker{SenderID: id, domain: d}
	t.reset()
	return t
}

// FromEvents returns a tracker with the events applied in order.
func FromEvents(id string, d *domain.Domain, events []event.Event) *Tracker {
	t := New(id, d)
	for _, e := range events {
		t.Update(e)
	}
	return t
}

// Domain returns the domain the tracker was built with.
func (t *Tracker) Domain() *domain.Domain { return t.domain }

// Copy returns an independent copy of the tracker.
func (t *Tracker) Copy() *Tracker {
	c := *t
	c.Events = slices.Clone(t.Events)
	c.slots = make(map[string]any, len(t.slots))
	for k, v := range t.slots {
		c.slots[k] = v
	}
	if t.activeLoop != nil {
		l := *t.activeLoop
		c.activeLoop = &l
	}
	return &c
}

// Update appends e to the log and applies it to the state.
func (t *Tracker) Update(e event.Event) {
	t.Events = append(t.Events, e)
	t.apply(e)
}

// UpdateAll appends and applies every event of es.
func (t *Tracker) UpdateAll(es []event.Event) {
	for _, e := range es {
		t.Update(e)
	}
}

// reset puts the state back to that of a new conversation; the log stays.
func (t *Tracker) reset() {
	t.slots = initialSlots(t.domain)
	t.latestMessage = nil
	t.latestAction = nil
	t.latestBot = nil
	t.activeLoop = nil
	t.followup = ActionListen
	t.paused = false
}

// initialSlots returns every slot with its initial value, plus Rasa's
// built-in slots when the domain does not declare them.
func initialSlots(d *domain.Domain) map[string]any {
	m := map[string]any{}
	for _, s := range d.Slots {
		m[s.Name] = s.InitialValue
	}
	if len(d.Forms) > 0 {
		if _, ok := m[domain.RequestedSlot]; !ok {
			m[domain.RequestedSlot] = nil
		}
	}
	if _, ok := m[domain.SessionStartedMetadata]; !ok {
		m[domain.SessionStartedMetadata] = nil
	}
	return m
}

// replay rebuilds the state from the applied events (after a rewind or an
// undo changed which events stand).
func (t *Tracker) replay() {
	t.reset()
	for _, e := range t.AppliedEvents() {
		t.apply(e)
	}
}

// apply changes the state for one event, as Rasa's Event.apply_to does.
func (t *Tracker) apply(e event.Event) {
	switch e.Type {
	case event.User:
		ev := e
		t.latestMessage = &ev
		t.followup = ""
	case event.EntitiesAdded:
		t.addEntities(e.Entities)
	case event.Bot:
		ev := e
		t.latestBot = &ev
	case event.Action:
		t.setLatestAction(e)
	case event.Slot:
		if _, ok := t.slots[e.Name]; ok {
			t.slots[e.Name] = e.Value
		}
	case event.ResetSlots:
		t.slots = initialSlots(t.domain)
	case event.Restart:
		t.reset()
		t.followup = ActionSessionStart
	case event.SessionStarted:
		t.reset()
	case event.Rewind, event.Undo:
		t.replay()
	case event.Followup:
		t.followup = e.Name
	case event.Pause:
		t.paused = true
	case event.Resume:
		t.paused = false
	default:
		t.applyLoop(e)
	}
}

// applyLoop applies the events about the active loop.
func (t *Tracker) applyLoop(e event.Event) {
	switch e.Type {
	case event.ActiveLoop:
		t.ChangeLoopTo(e.Name)
	case event.LoopInterrupted:
		if t.activeLoop != nil {
			t.activeLoop.IsInterrupted = e.IsInterrupted
		}
	case event.ActionRejected:
		if t.activeLoop != nil && t.activeLoop.Name == e.Name {
			t.activeLoop.Rejected = true
		}
	}
}

// ChangeLoopTo activates the named loop, or deactivates the loop for "".
// It changes only the state; callers normally append an active_loop event.
func (t *Tracker) ChangeLoopTo(name string) {
	if name == "" {
		t.activeLoop = nil
		return
	}
	l := &Loop{Name: name}
	if t.latestMessage != nil {
		l.TriggerMessage = t.latestMessage.Parse
	}
	t.activeLoop = l
}

func (t *Tracker) setLatestAction(e event.Event) {
	ev := e
	t.latestAction = &ev
	t.followup = ""
	if t.activeLoop != nil && e.Name != "" && t.activeLoop.Name == e.Name {
		t.activeLoop.IsInterrupted = false
		t.activeLoop.Rejected = false
	}
}

// addEntities adds policy-predicted entities to the latest user message.
func (t *Tracker) addEntities(es []nlu.Entity) {
	if t.latestMessage == nil {
		return
	}
	msg := *t.latestMessage
	p := nlu.Parse{}
	if msg.Parse != nil {
		p = *msg.Parse
	}
	p.Entities = append(slices.Clone(p.Entities), es...)
	msg.Parse = &p
	t.latestMessage = &msg
}
