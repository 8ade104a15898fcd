package project

import "github.com/parley-chat/parley/internal/domain"

// Project is everything read from one Rasa project folder.
type Project struct {
	// Root is the project folder, absolute.
	Root        string
	Config      Config
	Domain      *domain.Domain
	NLU         NLUData
	Stories     []Story
	Rules       []Story
	TestStories []Story
	Endpoints   Endpoints
	// Credentials maps a channel name to its settings, as in credentials.yml.
	Credentials map[string]map[string]any
	// Files lists every file that was read, relative to Root, sorted; the
	// model fingerprint is computed over them.
	Files []string
	// Diagnostics holds the warnings (and, if Load failed, the errors).
	Diagnostics Diagnostics
	// DomainPos says where each domain item is defined.
	DomainPos DomainPositions
}

// NLUData is the NLU training data of a project, merged over all files.
type NLUData struct {
	Examples []Example
	Synonyms []Synonym
	Regexes  []Pattern
	Lookups  []Pattern
	// Responses are retrieval responses (utter_faq/ask_hours) found in NLU
	// files; the loader also merges them into the domain.
	Responses map[string][]domain.Response
}

// Example is one training message.
type Example struct {
	// Text is the message with annotations removed.
	Text string
	// Intent is the full intent name, "faq/ask_hours" for retrieval intents.
	Intent   string
	Entities []EntityAnnotation
	Metadata map[string]any
	Pos      Pos
}

// EntityAnnotation marks an entity in an example. Start and End are BYTE
// offsets into Example.Text (JSON-facing code converts them to the code point
// offsets Rasa uses).
type EntityAnnotation struct {
	Start  int
	End    int
	Entity string
	// Value is the annotated value; it equals Text[Start:End] unless the
	// annotation gave another value (a synonym).
	Value string
	Role  string
	Group string
}

// Synonym maps several surface forms to one value.
type Synonym struct {
	Value    string
	Examples []string
	Pos      Pos
}

// Pattern is a regex or a lookup table: a name and its entries.
type Pattern struct {
	Name     string
	Elements []string
	Pos      Pos
}

// StoryKind tells stories, rules and test stories apart.
type StoryKind int

const (
	// KindStory is a training story.
	KindStory StoryKind = iota
	// KindRule is a rule.
	KindRule
	// KindTest is a test story from tests/test_*.yml.
	KindTest
)

// Story is a story, a rule or a test story.
type Story struct {
	Name string
	Kind StoryKind
	// Condition holds a rule's condition steps (active_loop, slot_was_set).
	Condition         []Step
	ConversationStart bool
	// WaitForUserInput is true unless a rule says wait_for_user_input: false.
	WaitForUserInput bool
	Steps            []Step
	Metadata         map[string]any
	Pos              Pos
}

// StepKind names what a story step does.
type StepKind int

// The story step kinds.
const (
	StepIntent StepKind = iota
	StepAction
	StepBot
	StepActiveLoop
	StepSlotWasSet
	StepCheckpoint
	StepOr
)

// Step is one step of a story or rule.
type Step struct {
	Kind StepKind
	// Intent is the user's intent; UserText the e2e text (annotations
	// removed), with UserEntities parsed from its inline annotations.
	Intent       string
	UserText     string
	UserEntities []EntityAnnotation
	// Entities are the `entities:` of an intent step.
	Entities []StepEntity
	Action   string
	BotText  string
	// ActiveLoop is the loop name; empty means `active_loop: null`.
	ActiveLoop string
	Slots      []SlotValue
	Checkpoint string
	// Or holds the alternatives of an `or` step (intent steps or slot steps).
	Or  []Step
	Pos Pos
}

// StepEntity is an entity named in a story's intent step.
type StepEntity struct {
	Entity string
	Value  any
	// HasValue is false for the bare form `- entities: [name]`.
	HasValue bool
	Role     string
	Group    string
}

// SlotValue is one `slot_was_set` entry. HasValue is false for the bare form
// `- slot_name`, which means "set to any value".
type SlotValue struct {
	Name     string
	Value    any
	HasValue bool
}

// Config is config.yml.
type Config struct {
	Recipe      string
	Language    string
	AssistantID string
	Pipeline    []Component
	Policies    []Component
	// PipelineDefaulted and PoliciesDefaulted are true when the file left
	// them empty and Parley filled in its defaults.
	PipelineDefaulted bool
	PoliciesDefaulted bool
	Pos               Pos
}

// Component is one pipeline component or policy with its options.
type Component struct {
	Name    string
	Options map[string]any
	Pos     Pos
}

// Endpoints is endpoints.yml. Each section is kept as read (with ${VAR}
// expanded); the packages that use a section check its keys.
type Endpoints struct {
	Action       map[string]any
	Models       map[string]any
	NLG          map[string]any
	TrackerStore map[string]any
	LockStore    map[string]any
	EventBroker  map[string]any
	Pos          map[string]Pos
}
