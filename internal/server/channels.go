package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/channel/socketio"
	"github.com/parley-chat/parley/internal/event"
)

// outputChannel sends bot messages somewhere other than the HTTP answer.
type outputChannel interface {
	Send(ctx context.Context, conversationID string, events []event.Event) error
}

// channels are the input channels credentials.yml turns on besides rest,
// which is always on.
type channels struct {
	s        *Server
	socket   *socketio.Channel
	callback *callbackChannel
}

// newChannels builds the channels of the credentials; a channel Parley
// does not have, or whose settings are wrong, is logged and left out.
func (s *Server) newChannels() *channels {
	c := &channels{s: s}
	var names []string
	for name := range s.opts.Credentials {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := c.add(name, s.opts.Credentials[name]); err != nil {
			s.log.Error("a channel of credentials.yml is left out", "channel", name,
				"error", err.Error())
		}
	}
	return c
}

// add turns on one channel of credentials.yml.
func (c *channels) add(name string, creds map[string]any) error {
	switch name {
	case "rest":
		return nil
	case socketio.Name:
		cfg, err := socketio.ConfigFrom(creds)
		if err != nil {
			return err
		}
		c.socket = socketio.New(cfg, c.s.converse, c.s.log)
	case callbackName:
		cb, err := newCallbackChannel(creds, c.s)
		if err != nil {
			return err
		}
		c.callback = cb
	default:
		c.s.log.Warn("credentials.yml lists a channel that Parley does not have; it is "+
			"ignored (rest, socketio and callback exist)", "channel", name)
	}
	return nil
}

// routes are the channels' webhooks.
func (c *channels) routes() []route {
	rs := []route{
		{"GET", "/webhooks/rest", public, c.s.restHealth},
		{"GET", "/webhooks/rest/{$}", public, c.s.restHealth},
		{"POST", "/webhooks/rest/webhook", public, c.s.restWebhook},
	}
	if c.socket != nil {
		rs = append(rs, route{"GET", "/webhooks/socketio/{$}", public, c.s.restHealth})
	}
	if c.callback != nil {
		rs = append(rs, route{"GET", "/webhooks/callback/{$}", public, c.s.restHealth},
			route{"POST", "/webhooks/callback/webhook", public, c.callback.webhook})
	}
	return rs
}

// output returns the output channel a name asks for; nil means the
// messages are collected into the HTTP answer.
func (c *channels) output(name string) outputChannel {
	switch {
	case name == socketio.Name && c.socket != nil:
		return c.socket
	case name == callbackName && c.callback != nil:
		return c.callback
	}
	return nil
}

// close stops the socket.io server.
func (c *channels) close() {
	if c.socket != nil {
		c.socket.Close()
	}
}

// converse runs one turn of a channel's message with the loaded model.
func (s *Server) converse(ctx context.Context, msg agent.UserMessage) ([]event.Event, error) {
	cur, err := s.ready()
	if err != nil {
		return nil, err
	}
	if cur.model.Policies == nil {
		return nil, conflict("The loaded model has no dialogue part (it was trained with " +
			"`parley train nlu`); train a full model with `parley train`.")
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.ResponseTimeout)
	defer cancel()
	events, err := cur.agent.HandleMessage(ctx, msg)
	if err != nil {
		return nil, fmt.Errorf("conversation %q: %w", msg.ConversationID, err)
	}
	return events, nil
}

// turnError is the error answer of a failed turn: *Error as it is, any
// other cause as a 500 whose detail is only logged.
func turnError(r *http.Request, err error) error {
	if e, ok := err.(*Error); ok {
		return e
	}
	return &Error{Status: http.StatusInternalServerError, Reason: ReasonConversationError,
		Message: "The bot could not answer this message; the server log has the details " +
			"under request id " + requestID(r) + ".", Err: err}
}
