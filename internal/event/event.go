// Package event defines the events of a conversation's log, with the JSON
// shapes Rasa uses (float unix timestamps, one "event" type name each).
package event

import "github.com/parley-chat/parley/internal/nlu"

// Event type names, as they appear in the "event" field.
const (
	User              = "user"
	UserFeaturization = "user_featurization"
	EntitiesAdded     = "entities"
	Bot               = "bot"
	Action            = "action"
	Slot              = "slot"
	ResetSlots        = "reset_slots"
	Restart           = "restart"
	SessionStarted    = "session_started"
	Rewind            = "rewind"
	Undo              = "undo"
	Followup          = "followup"
	Pause             = "pause"
	Resume            = "resume"
	ActiveLoop        = "active_loop"
	LoopInterrupted   = "loop_interrupted"
	ActionRejected    = "action_execution_rejected"
	Reminder          = "reminder"
	CancelReminder    = "cancel_reminder"
	Export            = "export"
	Agent             = "agent"
)

// Event is one entry of a conversation's event log. Which fields apply
// depends on Type; the JSON codec writes exactly the fields Rasa writes for
// that type.
type Event struct {
	Type      string
	Timestamp float64
	Metadata  map[string]any

	// user
	Text         string
	Parse        *nlu.Parse
	InputChannel string
	MessageID    string

	// bot (Text too)
	Data *BotData

	// action, slot, followup, active_loop, action_execution_rejected,
	// reminder, cancel_reminder: the action, slot, loop or reminder name.
	// An active_loop event with an empty Name deactivates the loop.
	Name         string
	Policy       string
	Confidence   *float64
	ActionText   string
	HideRuleTurn bool

	// slot
	Value any

	// entities
	Entities []nlu.Entity

	// user_featurization
	UseTextForFeaturization bool

	// loop_interrupted
	IsInterrupted bool

	// reminder and cancel_reminder
	Intent           string
	ReminderEntities any
	DateTime         string
	KillOnUserMsg    bool

	// export
	Path string
}

// BotData is the "data" of a bot event.
type BotData struct {
	Elements     []any            `json:"elements"`
	QuickReplies []map[string]any `json:"quick_replies"`
	Buttons      []map[string]any `json:"buttons"`
	Attachment   any              `json:"attachment"`
	Image        any              `json:"image"`
	Custom       any              `json:"custom"`
}

// Confidence returns a pointer to c, for the Confidence field.
func Confidence(c float64) *float64 { return &c }
