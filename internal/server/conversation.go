package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/tracker"
)

// conversationAgent returns the loaded model's agent, or 409.
func (s *Server) conversationAgent() (*agent.Agent, error) {
	cur, err := s.ready()
	if err != nil {
		return nil, err
	}
	if cur.conv == nil {
		return nil, conflict("The loaded agent cannot serve the conversation API.")
	}
	return cur.conv, nil
}

// verbosity reads ?include_events (default AFTER_RESTART).
func verbosity(r *http.Request) (tracker.Verbosity, error) {
	v, err := tracker.ParseVerbosity(r.URL.Query().Get("include_events"))
	if err != nil {
		return 0, badParam("include_events", "query", "Invalid parameter value for "+
			"'include_events'. Should be one of NONE, APPLIED, AFTER_RESTART, ALL.")
	}
	return v, nil
}

// floatParam reads an optional float query parameter.
func floatParam(r *http.Request, name string) (*float64, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return nil, badParam(name, "query", "%s=%q is not a number: give a unix time in "+
			"seconds, such as 1690000000.5.", name, raw)
	}
	return &f, nil
}

// boolParam reads an optional true/false query parameter.
func boolParam(r *http.Request, name string, def bool) (bool, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return false, badParam(name, "query", "%s=%q must be true or false.", name, raw)
	}
	return b, nil
}

// writeTracker answers with the tracker's state.
func writeTracker(w http.ResponseWriter, t *tracker.Tracker, v tracker.Verbosity) error {
	data, err := t.MarshalState(v)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, json.RawMessage(data))
	return nil
}

// getTracker answers GET /conversations/{id}/tracker.
func (s *Server) getTracker(w http.ResponseWriter, r *http.Request) error {
	v, err := verbosity(r)
	if err != nil {
		return err
	}
	until, err := floatParam(r, "until")
	if err != nil {
		return err
	}
	a, err := s.conversationAgent()
	if err != nil {
		return err
	}
	t, err := a.SessionTracker(r.Context(), r.PathValue("conversation_id"))
	if err != nil {
		return conversationError(r, err)
	}
	if until != nil {
		t = agent.Until(t, *until)
	}
	return writeTracker(w, t, v)
}

// readEvents reads the request body as events: one event or a list. An
// unknown event type or a malformed event is a 400, as Rasa's schema check.
func readEvents(r *http.Request, listOnly bool) ([]event.Event, error) {
	data, err := readBody(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '{' && !listOnly {
		data = append(append([]byte{'['}, data...), ']')
	}
	events, skipped, err := event.DecodeList(data)
	if err == nil && len(skipped) > 0 {
		err = skipped[0]
	}
	if err != nil {
		return nil, badRequest("Failed to validate the events format: %v. Each event is an "+
			"object such as {\"event\": \"slot\", \"name\": \"city\", \"value\": \"Berlin\"}.",
			err)
	}
	if len(events) == 0 && !listOnly {
		return nil, badParam("", "body", "Couldn't extract a proper event from the request body.")
	}
	return events, nil
}

// readBody reads the whole body: 413 over the size limit.
func readBody(r *http.Request) ([]byte, error) {
	data, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, &Error{Status: http.StatusRequestEntityTooLarge, Reason: ReasonTooLarge,
			Message: fmt.Sprintf("The request body is larger than %d bytes.", tooBig.Limit)}
	case err != nil:
		return nil, badRequest("The request body could not be read: %v.", err)
	}
	return data, nil
}

// appendEvents answers POST /conversations/{id}/tracker/events.
func (s *Server) appendEvents(w http.ResponseWriter, r *http.Request) error {
	events, err := readEvents(r, false)
	if err != nil {
		return err
	}
	v, err := verbosity(r)
	if err != nil {
		return err
	}
	sideEffects, err := boolParam(r, "execute_side_effects", false)
	if err != nil {
		return err
	}
	a, err := s.conversationAgent()
	if err != nil {
		return err
	}
	id := r.PathValue("conversation_id")
	t, err := a.AppendEvents(r.Context(), id, events)
	if err != nil {
		return conversationError(r, err)
	}
	if sideEffects {
		s.sideEffects(r, t, events)
	}
	return writeTracker(w, t, v)
}

// sideEffects sends the appended bot events to the output channel and
// schedules or cancels the reminders among them, as Rasa's
// execute_side_effects.
func (s *Server) sideEffects(r *http.Request, t *tracker.Tracker, events []event.Event) {
	out, name := s.outputChannel(r, t)
	if a, err := s.conversationAgent(); err == nil {
		a.ScheduleReminders(t.SenderID, name, events)
	}
	if out == nil {
		return
	}
	if err := out.Send(r.Context(), t.SenderID, events); err != nil {
		s.log.Error("the output channel did not take the bot's messages",
			"conversation", t.SenderID, "error", err.Error())
	}
}

// reminderReply sends the messages of a fired reminder to the output
// channel it was set from; without one (rest) they are only stored.
func (s *Server) reminderReply(ctx context.Context, id, channel string, bots []event.Event) {
	out := s.channels.output(channel)
	if out == nil || len(bots) == 0 {
		return
	}
	if err := out.Send(ctx, id, bots); err != nil {
		s.log.Error("the output channel did not take the reminder's messages",
			"conversation", id, "channel", channel, "error", err.Error())
	}
}

// loadReminders schedules the stored reminders of the conversations.
func (s *Server) loadReminders(a *agent.Agent) {
	n, err := a.LoadReminders(context.Background())
	switch {
	case err != nil:
		s.log.Warn("stored reminders could not be loaded", "error", err.Error())
	case n > 0:
		s.log.Info("stored reminders scheduled", "reminders", n)
	}
}

// replaceEvents answers PUT /conversations/{id}/tracker/events.
func (s *Server) replaceEvents(w http.ResponseWriter, r *http.Request) error {
	events, err := readEvents(r, true)
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
	t, err := a.ReplaceEvents(r.Context(), r.PathValue("conversation_id"), events)
	if err != nil {
		return conversationError(r, err)
	}
	return writeTracker(w, t, v)
}

// story answers GET /conversations/{id}/story with the YAML test story of
// the latest session (all of them with ?all_sessions=true).
func (s *Server) story(w http.ResponseWriter, r *http.Request) error {
	until, err := floatParam(r, "until")
	if err != nil {
		return err
	}
	all, err := boolParam(r, "all_sessions", false)
	if err != nil {
		return err
	}
	_, t, err := s.existingConversation(r)
	if err != nil {
		return err
	}
	trackers := agent.Sessions(t)
	if !all {
		trackers = trackers[len(trackers)-1:]
	}
	var kept []*tracker.Tracker
	for _, st := range trackers {
		if until != nil {
			st = agent.Until(st, *until)
		}
		if len(st.Events) > 0 || until == nil {
			kept = append(kept, st)
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, agent.TestStories(kept))
	return nil
}

// existingConversation loads the conversation of the path, or answers 404
// when it has no events, as Rasa's endpoints that need one.
func (s *Server) existingConversation(r *http.Request) (*agent.Agent, *tracker.Tracker, error) {
	a, err := s.conversationAgent()
	if err != nil {
		return nil, nil, err
	}
	id := r.PathValue("conversation_id")
	t, err := a.Tracker(r.Context(), id)
	if err != nil {
		return nil, nil, conversationError(r, err)
	}
	if len(t.Events) == 0 {
		return nil, nil, &Error{Status: http.StatusNotFound, Reason: ReasonConversationNotFound,
			Message: "Conversation ID not found."}
	}
	return a, t, nil
}
