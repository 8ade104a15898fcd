package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/channel"
	"github.com/parley-chat/parley/internal/event"
)

// restChannel is the input channel name the REST webhook records.
const restChannel = "rest"

// restRequest is the body of POST /webhooks/rest/webhook.
type restRequest struct {
	Sender       json.RawMessage `json:"sender"`
	Message      *string         `json:"message"`
	Metadata     map[string]any  `json:"metadata"`
	InputChannel string          `json:"input_channel"`
}

// BotMessage is one message of a REST channel answer; only the keys that
// are set are written.
type BotMessage struct {
	RecipientID  string           `json:"recipient_id"`
	Text         string           `json:"text,omitempty"`
	Buttons      []map[string]any `json:"buttons,omitempty"`
	QuickReplies []map[string]any `json:"quick_replies,omitempty"`
	Custom       any              `json:"custom,omitempty"`
	Image        any              `json:"image,omitempty"`
	Attachment   any              `json:"attachment,omitempty"`
	Elements     []any            `json:"elements,omitempty"`
}

// restHealth answers GET /webhooks/rest/.
func (s *Server) restHealth(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// restWebhook runs one turn for a message and answers the bot's messages.
func (s *Server) restWebhook(w http.ResponseWriter, r *http.Request) error {
	var req restRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	sender, err := senderID(req.Sender)
	if err != nil {
		return err
	}
	if req.Message == nil {
		return badRequest(`The request body has no "message": send {"sender": "...", ` +
			`"message": "..."}.`)
	}
	channel := restChannel
	if req.InputChannel != "" {
		channel = req.InputChannel
	}
	events, err := s.converse(r.Context(), agent.UserMessage{
		ConversationID: sender, Text: *req.Message, InputChannel: channel,
		Metadata: req.Metadata,
	})
	if err != nil {
		return turnError(r, err)
	}
	messages := BotMessages(sender, events)
	if r.URL.Query().Get("stream") == "true" {
		return streamMessages(w, messages)
	}
	writeJSON(w, http.StatusOK, messages)
	return nil
}

// streamMessages writes one JSON message per line, as Rasa's ?stream=true.
func streamMessages(w http.ResponseWriter, messages []BotMessage) error {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	for _, m := range messages {
		data, err := json.Marshal(m)
		if err != nil {
			return err
		}
		w.Write(append(data, '\n'))
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	return nil
}

// senderID reads the "sender" field: a string, or a number as written.
func senderID(raw json.RawMessage) (string, error) {
	missing := badRequest(`The request body has no "sender": send ` +
		`{"sender": "<conversation id>", "message": "..."}.`)
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", missing
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if strings.TrimSpace(s) == "" {
			return "", missing
		}
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), nil
	}
	return "", badRequest(`"sender" must be a string (the conversation id).`)
}

// decodeJSON reads the request body into v: 400 for bad JSON, 413 for a
// body over the size limit.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	err := dec.Decode(v)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return &Error{Status: http.StatusRequestEntityTooLarge, Reason: ReasonTooLarge,
			Message: fmt.Sprintf("The request body is larger than %d bytes.", tooBig.Limit)}
	case err != nil:
		return badRequest("The request body is not valid JSON: %v.", err)
	}
	return nil
}

// BotMessages turns a turn's bot events into the REST channel's messages,
// the way Rasa's output channels split a response: text with buttons or
// quick replies is one message; other text is split on blank lines; then
// custom, image, attachment and elements each get a message of their own.
func BotMessages(recipient string, events []event.Event) []BotMessage {
	out := []BotMessage{}
	for _, p := range channel.Parts(events) {
		out = append(out, restMessages(recipient, p)...)
	}
	return out
}

// restMessages returns one part of a bot utterance as messages.
func restMessages(recipient string, p channel.Part) []BotMessage {
	m := BotMessage{RecipientID: recipient}
	switch p.Kind {
	case channel.Custom:
		m.Custom = p.Value
	case channel.Image:
		m.Image = p.Value
	case channel.Attachment:
		m.Attachment = p.Value
	case channel.Elements:
		m.Elements, _ = p.Value.([]any)
	default:
		return textMessages(recipient, p)
	}
	return []BotMessage{m}
}

// textMessages returns the text part of a bot utterance as messages.
func textMessages(recipient string, p channel.Part) []BotMessage {
	switch {
	case len(p.QuickReplies) > 0:
		return []BotMessage{{RecipientID: recipient, Text: p.Text, QuickReplies: p.QuickReplies}}
	case len(p.Buttons) > 0:
		return []BotMessage{{RecipientID: recipient, Text: p.Text, Buttons: p.Buttons}}
	}
	var out []BotMessage
	for _, part := range channel.SplitText(p.Text) {
		out = append(out, BotMessage{RecipientID: recipient, Text: part})
	}
	return out
}
