package sdk

import (
	"encoding/json"
	"maps"
	"slices"
	"sync"
)

// Button is a button (or quick reply) shown with a message. A payload such
// as `/inform{"size":"large"}` sends that intent and entities, bypassing
// NLU.
type Button struct {
	Title   string `json:"title"`
	Payload string `json:"payload"`
}

// Message is one message an action sends. Set Text for a plain message, or
// Response to have the bot render one of the domain's responses (its
// {placeholders} filled from slots and from Kwargs). Buttons are appended to
// a rendered response; the other non-empty fields replace the response's.
type Message struct {
	Text string
	// Response names a domain response, such as "utter_greet".
	Response string
	// Kwargs fill the response's {placeholders} and travel with the
	// message; they are written as extra keys of the message JSON.
	Kwargs     map[string]any
	Buttons    []Button
	Image      string
	Attachment any
	Elements   []any
	// Custom is any JSON a channel understands (the json_message of the
	// Rasa SDK).
	Custom any
}

// MarshalJSON writes the message as the Rasa SDK's dispatcher does: every
// standard key present (null, [] or {} when unset, "template" and
// "response" both naming the response), then the kwargs.
func (m Message) MarshalJSON() ([]byte, error) {
	out := map[string]any{
		"text":       orNull(m.Text),
		"buttons":    nonNilButtons(m.Buttons),
		"elements":   nonNilAny(m.Elements),
		"custom":     m.Custom,
		"template":   orNull(m.Response),
		"response":   orNull(m.Response),
		"image":      orNull(m.Image),
		"attachment": m.Attachment,
	}
	if m.Custom == nil {
		out["custom"] = map[string]any{}
	}
	maps.Copy(out, m.Kwargs)
	return json.Marshal(out)
}

func nonNilButtons(b []Button) []Button {
	if b == nil {
		return []Button{}
	}
	return b
}

func nonNilAny(a []any) []any {
	if a == nil {
		return []any{}
	}
	return a
}

// Dispatcher collects the messages an action sends to the user. The bot
// sends them, in order, before it applies the action's events. It is safe
// for concurrent use.
type Dispatcher struct {
	mu       sync.Mutex
	messages []Message
}

// Utter sends a message.
func (d *Dispatcher) Utter(m Message) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.messages = append(d.messages, m)
}

// UtterText sends a plain text message.
func (d *Dispatcher) UtterText(text string) { d.Utter(Message{Text: text}) }

// UtterResponse sends the domain response name, with kwargs filling its
// {placeholders}; kwargs may be nil.
func (d *Dispatcher) UtterResponse(name string, kwargs map[string]any) {
	d.Utter(Message{Response: name, Kwargs: kwargs})
}

// UtterButtons sends text with buttons.
func (d *Dispatcher) UtterButtons(text string, buttons ...Button) {
	d.Utter(Message{Text: text, Buttons: buttons})
}

// UtterImage sends an image by URL.
func (d *Dispatcher) UtterImage(url string) { d.Utter(Message{Image: url}) }

// UtterCustom sends custom JSON for the channel.
func (d *Dispatcher) UtterCustom(custom any) { d.Utter(Message{Custom: custom}) }

// Messages returns the messages sent so far, in order.
func (d *Dispatcher) Messages() []Message {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.messages)
}
