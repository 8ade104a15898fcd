// Package domain holds a bot's domain as Rasa 3 defines it: intents,
// entities, slots and their mappings, responses, actions, forms and the
// session settings. It is plain data; reading it from YAML lives in package
// project, and running it lives in the dialogue packages.
package domain

// Domain is the merged content of domain.yml or a domain folder, plus the
// retrieval responses found in NLU files.
type Domain struct {
	// Version is the format version the domain declared ("2.0" to "3.1").
	Version   string
	Intents   []Intent
	Entities  []Entity
	Slots     []Slot
	Responses map[string][]Response
	// Actions lists the custom action names the domain declares, in order.
	Actions []Action
	Forms   []Form
	Session SessionConfig
	// StoreEntitiesAsSlots is config.store_entities_as_slots (default true).
	StoreEntitiesAsSlots bool
	// ActionTexts are the end-to-end bot texts (`bot:` story steps), which
	// Rasa predicts like actions (its e2e_actions).
	ActionTexts []string
}

// Intent is one intent and which entities it lets influence dialogue.
type Intent struct {
	Name string
	// UseEntities lists the entities featurized with this intent; nil with
	// UseAllEntities true means all of them.
	UseEntities    []string
	UseAllEntities bool
	IgnoreEntities []string
	// IsRetrieval is true for intents such as "faq" whose examples are
	// written "faq/ask_hours".
	IsRetrieval bool
}

// Entity is one entity type with its roles and groups.
type Entity struct {
	Name                  string
	Roles                 []string
	Groups                []string
	InfluenceConversation bool
}

// Slot types as Rasa names them.
const (
	SlotText        = "text"
	SlotBool        = "bool"
	SlotCategorical = "categorical"
	SlotFloat       = "float"
	SlotList        = "list"
	SlotAny         = "any"
)

// OtherCategory is the value Rasa adds to every categorical slot.
const OtherCategory = "__other__"

// Slot is one slot definition.
type Slot struct {
	Name                  string
	Type                  string
	InfluenceConversation bool
	InitialValue          any
	// Values are the categories of a categorical slot (with OtherCategory).
	Values []string
	// MinValue and MaxValue bound a float slot (defaults 0 and 1).
	MinValue float64
	MaxValue float64
	Mappings []SlotMapping
}

// Slot mapping types as Rasa names them.
const (
	MapFromEntity        = "from_entity"
	MapFromText          = "from_text"
	MapFromIntent        = "from_intent"
	MapFromTriggerIntent = "from_trigger_intent"
	MapCustom            = "custom"
)

// SlotMapping says how a slot is filled after a user message.
type SlotMapping struct {
	Type      string
	Entity    string
	Role      string
	Group     string
	Intent    []string
	NotIntent []string
	// Value is what from_intent and from_trigger_intent set.
	Value any
	// Action is the custom action named by a custom mapping.
	Action     string
	Conditions []MappingCondition
}

// MappingCondition restricts a mapping to an active loop and, optionally, a
// requested slot. An empty ActiveLoop with ActiveLoopNull set means
// "active_loop: null".
type MappingCondition struct {
	ActiveLoop     string
	ActiveLoopNull bool
	RequestedSlot  string
}

// Response is one variation of a response such as utter_greet.
type Response struct {
	Text         string
	Image        string
	Buttons      []Button
	QuickReplies []Button
	Attachment   any
	Elements     []any
	Custom       any
	// Channel limits the variation to one output channel.
	Channel    string
	Condition  []ResponseCondition
	ID         string
	Metadata   map[string]any
	ButtonType string
}

// Button is a button or quick reply.
type Button struct {
	Title   string `json:"title"`
	Payload string `json:"payload"`
}

// ResponseCondition is one `condition` entry of a conditional variation.
type ResponseCondition struct {
	Type  string
	Name  string
	Value any
}

// Action is one custom action the domain lists.
type Action struct {
	Name string
	// SendDomain is the per-action send_domain flag used with
	// enable_selective_domain.
	SendDomain bool
}

// Form is one form (a loop that fills required slots).
type Form struct {
	Name           string
	RequiredSlots  []string
	IgnoredIntents []string
}

// SessionConfig is the domain's session_config.
type SessionConfig struct {
	// ExpirationMinutes is session_expiration_time; 0 means never.
	ExpirationMinutes float64
	CarryOverSlots    bool
}

// DefaultSessionConfig is what Rasa uses when the domain says nothing.
var DefaultSessionConfig = SessionConfig{ExpirationMinutes: 60, CarryOverSlots: true}

// DefaultIntents are added to every domain, as Rasa does.
var DefaultIntents = []string{"restart", "back", "out_of_scope", "session_start", "nlu_fallback"}

// Built-in slot names.
const (
	RequestedSlot          = "requested_slot"
	SessionStartedMetadata = "session_started_metadata"
)
