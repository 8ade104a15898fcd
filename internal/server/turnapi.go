package server

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/tracker"
)

// outputChannel returns the channel ?output_channel asks for (nil: the
// messages go into the answer) and the channel name the actions see.
// "latest" means the channel of the conversation's latest user message.
func (s *Server) outputChannel(r *http.Request, t *tracker.Tracker) (outputChannel, string) {
	name := r.URL.Query().Get("output_channel")
	if name == "latest" && t != nil {
		name = t.LatestInputChannel()
	}
	return s.channels.output(name), name
}

// turnAnswer is the answer of execute and trigger_intent. As in Rasa,
// messages is there, [] when the bot said nothing, unless an output channel
// took them.
type turnAnswer struct {
	Tracker  json.RawMessage `json:"tracker"`
	Messages *[]BotMessage   `json:"messages,omitempty"`
}

// writeTurn answers with the tracker and, when no output channel took
// them, the bot's messages.
func (s *Server) writeTurn(w http.ResponseWriter, r *http.Request, t *tracker.Tracker,
	bots []event.Event, out outputChannel, v tracker.Verbosity) error {
	state, err := t.MarshalState(v)
	if err != nil {
		return err
	}
	answer := turnAnswer{Tracker: state}
	if out == nil {
		msgs := BotMessages(t.SenderID, bots)
		if msgs == nil {
			msgs = []BotMessage{}
		}
		answer.Messages = &msgs
	} else if err := out.Send(r.Context(), t.SenderID, bots); err != nil {
		s.log.Error("the output channel did not take the bot's messages",
			"conversation", t.SenderID, "error", err.Error())
	}
	writeJSON(w, http.StatusOK, answer)
	return nil
}

// messageRequest is the body of POST /conversations/{id}/messages.
type messageRequest struct {
	Text      *string    `json:"text"`
	Sender    string     `json:"sender"`
	ParseData *nlu.Parse `json:"parse_data"`
}

// addMessage answers POST /conversations/{id}/messages: the message is
// logged with its slots extracted, and nothing is predicted.
func (s *Server) addMessage(w http.ResponseWriter, r *http.Request) error {
	var req messageRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Sender != "user" {
		return badParam("sender", "body", "Currently, only user messages can be passed to "+
			"this endpoint. Messages of sender '%s' cannot be handled.", req.Sender)
	}
	if req.Text == nil {
		return badParam("text", "body", `The request body has no "text": send `+
			`{"text": "...", "sender": "user"}.`)
	}
	v, err := verbosity(r)
	if err != nil {
		return err
	}
	a, err := s.conversationAgent()
	if err != nil {
		return err
	}
	msg := agent.UserMessage{ConversationID: r.PathValue("conversation_id"), Text: *req.Text}
	t, err := a.LogMessage(r.Context(), msg, req.ParseData)
	if err != nil {
		return conversationError(r, err)
	}
	return writeTracker(w, t, v)
}

// intentRequest is the body of POST /conversations/{id}/trigger_intent.
type intentRequest struct {
	Name     string          `json:"name"`
	Entities json.RawMessage `json:"entities"`
}

// triggerIntent answers POST /conversations/{id}/trigger_intent.
func (s *Server) triggerIntent(w http.ResponseWriter, r *http.Request) error {
	var req intentRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Name == "" {
		return badParam("name", "body", "Name of the intent not provided in request body.")
	}
	entities, err := readEntities(req.Entities)
	if err != nil {
		return err
	}
	v, err := verbosity(r)
	if err != nil {
		return err
	}
	a, err := s.conversationAgent()
	if err != nil {
		return err
	}
	if !slices.Contains(a.Domain().IntentNames(), req.Name) {
		return &Error{Status: http.StatusNotFound, Reason: ReasonNotFound,
			Message: "The intent " + req.Name + " does not exist in the domain."}
	}
	id := r.PathValue("conversation_id")
	before, err := a.Tracker(r.Context(), id)
	if err != nil {
		return conversationError(r, err)
	}
	out, channel := s.outputChannel(r, before)
	bots, t, err := a.TriggerIntent(r.Context(), id, req.Name, entities, channel)
	if err != nil {
		return conversationError(r, err)
	}
	return s.writeTurn(w, r, t, bots, out, v)
}

// readEntities reads trigger_intent's entities: {"name": "value"} or a
// list of entity objects.
func readEntities(raw json.RawMessage) ([]nlu.Entity, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var list []nlu.Entity
	if json.Unmarshal(raw, &list) == nil {
		return list, nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, badParam("entities", "body", `"entities" must be an object such as `+
			`{"city": "Berlin"} or a list of entities.`)
	}
	var out []nlu.Entity
	for _, k := range sortedKeys(m) {
		out = append(out, nlu.Entity{Entity: k, Value: m[k]})
	}
	return out, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// executeRequest is the body of POST /conversations/{id}/execute.
type executeRequest struct {
	Name       string   `json:"name"`
	Policy     string   `json:"policy"`
	Confidence *float64 `json:"confidence"`
}

// execute answers POST /conversations/{id}/execute (deprecated in Rasa).
func (s *Server) execute(w http.ResponseWriter, r *http.Request) error {
	var req executeRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Name == "" {
		return badParam("name", "body", "Name of the action not provided in request body.")
	}
	v, err := verbosity(r)
	if err != nil {
		return err
	}
	a, before, err := s.existingConversation(r)
	if err != nil {
		return err
	}
	s.log.Warn("POST /conversations/{id}/execute is deprecated: actions should be " +
		"predicted by the policies")
	out, channel := s.outputChannel(r, before)
	conf := 1.0
	if req.Confidence != nil {
		conf = *req.Confidence
	}
	bots, t, err := a.ExecuteAction(r.Context(), before.SenderID, req.Name, channel,
		req.Policy, conf)
	if err != nil {
		return conversationError(r, err)
	}
	return s.writeTurn(w, r, t, bots, out, v)
}

// predictAnswer is the answer of the predict endpoints.
type predictAnswer struct {
	Scores     []agent.ActionScore `json:"scores"`
	Policy     *string             `json:"policy"`
	Confidence float64             `json:"confidence"`
	Tracker    json.RawMessage     `json:"tracker"`
}

// predict answers POST /conversations/{id}/predict; nothing is stored.
func (s *Server) predict(w http.ResponseWriter, r *http.Request) error {
	a, t, err := s.existingConversation(r)
	if err != nil {
		return err
	}
	return writeForecast(w, a, t, tracker.EventsAfterRestart)
}

// writeForecast answers with the next action's scores for t.
func writeForecast(w http.ResponseWriter, a *agent.Agent, t *tracker.Tracker,
	v tracker.Verbosity) error {
	f := a.Forecast(t)
	state, err := t.MarshalState(v)
	if err != nil {
		return err
	}
	answer := predictAnswer{Scores: f.Scores, Confidence: f.Prediction.Confidence,
		Tracker: state}
	if f.Prediction.Policy != "" {
		answer.Policy = &f.Prediction.Policy
	}
	writeJSON(w, http.StatusOK, answer)
	return nil
}
