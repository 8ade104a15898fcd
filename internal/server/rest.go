package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/parley-chat/parley/internal/agent"
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
	for _, ev := range events {
		if ev.Type != event.Bot {
			continue
		}
		var data event.BotData
		if ev.Data != nil {
			data = *ev.Data
		}
		out = append(out, textMessages(recipient, ev.Text, data)...)
		out = append(out, extraMessages(recipient, data)...)
	}
	return out
}

// textMessages returns the text part of a bot utterance as messages.
func textMessages(recipient, text string, data event.BotData) []BotMessage {
	switch {
	case len(data.QuickReplies) > 0:
		return []BotMessage{{RecipientID: recipient, Text: text, QuickReplies: data.QuickReplies}}
	case len(data.Buttons) > 0:
		return []BotMessage{{RecipientID: recipient, Text: text, Buttons: data.Buttons}}
	}
	var out []BotMessage
	for part := range strings.SplitSeq(text, "\n\n") {
		if strings.TrimSpace(part) != "" {
			out = append(out, BotMessage{RecipientID: recipient, Text: part})
		}
	}
	return out
}

// extraMessages returns custom, image, attachment and elements, each as a
// message of its own, in that order.
func extraMessages(recipient string, data event.BotData) []BotMessage {
	var out []BotMessage
	if isSet(data.Custom) {
		out = append(out, BotMessage{RecipientID: recipient, Custom: data.Custom})
	}
	if isSet(data.Image) {
		out = append(out, BotMessage{RecipientID: recipient, Image: data.Image})
	}
	// An attachment equal to the image is the copy Rasa's bot events carry
	// for old clients; Rasa sends the image alone, and so does Parley.
	if isSet(data.Attachment) && !reflect.DeepEqual(data.Attachment, data.Image) {
		out = append(out, BotMessage{RecipientID: recipient, Attachment: data.Attachment})
	}
	if len(data.Elements) > 0 {
		out = append(out, BotMessage{RecipientID: recipient, Elements: data.Elements})
	}
	return out
}

// isSet reports whether a bot data field holds something to send.
func isSet(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case map[string]any:
		return len(x) > 0
	}
	return true
}
