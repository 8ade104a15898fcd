package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"slices"
	"sync"
)

// ActionCall is the JSON body the bot posts to /webhook to run an action.
type ActionCall struct {
	// NextAction is the name of the action to run.
	NextAction string `json:"next_action"`
	// SenderID is the conversation id.
	SenderID string `json:"sender_id"`
	// Tracker is the conversation state (see TrackerState).
	Tracker json.RawMessage `json:"tracker"`
	// Domain is the bot's domain; nil when the bot did not send it.
	Domain Domain `json:"domain,omitempty"`
	// Version is the version of the protocol the bot speaks (a Rasa
	// version such as "3.6.20").
	Version string `json:"version"`
}

// ActionResult is the answer to an action call: the events to apply and
// the messages to send, which the bot sends first.
type ActionResult struct {
	Events    []Event   `json:"events"`
	Responses []Message `json:"responses"`
}

// Registry holds actions by name and runs them for action calls. It is safe
// for concurrent use.
type Registry struct {
	mu      sync.RWMutex
	actions map[string]Action
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{actions: map[string]Action{}} }

// Register adds actions. A name that is empty or already registered is an
// error wrapping ErrDuplicateAction (or naming the problem), and then none of
// the actions is added.
func (r *Registry) Register(actions ...Action) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]bool{}
	for _, a := range actions {
		name := a.Name()
		switch {
		case name == "":
			return errors.New("sdk: an action has an empty name")
		case seen[name] || r.actions[name] != nil:
			return fmt.Errorf("%w: %q", ErrDuplicateAction, name)
		}
		seen[name] = true
	}
	for _, a := range actions {
		r.actions[a.Name()] = a
	}
	return nil
}

// MustRegister is Register for program setup: it panics on an error.
func (r *Registry) MustRegister(actions ...Action) {
	if err := r.Register(actions...); err != nil {
		panic(err)
	}
}

// Has reports whether an action of that name is registered.
func (r *Registry) Has(name string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.actions[name] != nil
}

// Names returns the registered action names, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.actions))
	for name := range r.actions {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Run runs the action the call names. The error wraps ErrActionNotFound,
// ErrInvalidBody (an unreadable tracker) or ErrRejected, or is the action's
// own error; a panic in the action is returned as an error.
func (r *Registry) Run(ctx context.Context, call ActionCall) (*ActionResult, error) {
	r.mu.RLock()
	action := r.actions[call.NextAction]
	r.mu.RUnlock()
	if action == nil {
		return nil, fmt.Errorf("%w for name '%s'", ErrActionNotFound, call.NextAction)
	}
	tracker, err := ParseTracker(call.Tracker)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidBody, err)
	}
	d := &Dispatcher{}
	events, err := runAction(ctx, action, d, tracker, call.Domain)
	if err != nil {
		return nil, err
	}
	for i, e := range events {
		if e.Type() == "" {
			return nil, fmt.Errorf("action %s returned event %d without an \"event\" type",
				action.Name(), i)
		}
	}
	if events == nil {
		events = []Event{}
	}
	return &ActionResult{Events: events, Responses: nonNilMessages(d.Messages())}, nil
}

// runAction runs the action, turning a panic into an error.
func runAction(ctx context.Context, a Action, d *Dispatcher, t *Tracker,
	dom Domain) (events []Event, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &panicError{action: a.Name(), value: p, stack: debug.Stack()}
		}
	}()
	return a.Run(ctx, d, t, dom)
}

func nonNilMessages(m []Message) []Message {
	if m == nil {
		return []Message{}
	}
	return m
}

// Handle runs one webhook body (already decompressed) and returns the JSON
// answer with the HTTP status the Rasa SDK gives it: 200 with the result,
// 400 for a bad body or a rejection, 404 for an unknown action and 500 when
// the action fails. Parley calls it to run Go actions in its own process,
// with the same semantics as over HTTP.
func (r *Registry) Handle(ctx context.Context, body []byte) ([]byte, int) {
	rep := r.handle(ctx, body)
	return rep.body, rep.status
}

// HandleErr is Handle that also returns the failure behind a status other
// than 200 (nil with 200), for the caller's log. When the action panicked,
// the error has a method Stack() []byte giving the stack where it did.
func (r *Registry) HandleErr(ctx context.Context, body []byte) ([]byte, int, error) {
	rep := r.handle(ctx, body)
	return rep.body, rep.status, rep.err
}

// reply is the outcome of one webhook call.
type reply struct {
	status int
	body   []byte
	action string
	// err is the failure behind a status other than 200, for the log.
	err error
}

func (r *Registry) handle(ctx context.Context, body []byte) reply {
	var call ActionCall
	if err := json.Unmarshal(body, &call); err != nil || call.NextAction == "" ||
		len(call.Tracker) == 0 {
		if err == nil {
			err = errors.New("the body names no next_action or has no tracker")
		}
		return errorReply(http.StatusBadRequest, "", fmt.Errorf("%w: %w", ErrInvalidBody, err),
			map[string]any{"error": "Invalid body request"})
	}
	res, err := r.Run(ctx, call)
	if err == nil {
		out, err := json.Marshal(res)
		if err == nil {
			return reply{status: http.StatusOK, body: out, action: call.NextAction}
		}
		err = fmt.Errorf("action %s returned events or messages that are not JSON: %w",
			call.NextAction, err)
		return failReply(call.NextAction, err, body)
	}
	return r.errorResult(call, err, body)
}

// errorResult maps an error of Run to its status and body.
func (r *Registry) errorResult(call ActionCall, err error, body []byte) reply {
	name := call.NextAction
	switch {
	case errors.Is(err, ErrInvalidBody):
		return errorReply(http.StatusBadRequest, name, err,
			map[string]any{"error": "Invalid body request"})
	case errors.Is(err, ErrActionNotFound):
		msg := fmt.Sprintf("No registered action found for name '%s'.", name)
		return errorReply(http.StatusNotFound, name, err,
			map[string]any{"error": msg, "action_name": name})
	case errors.Is(err, ErrRejected):
		msg := err.Error()
		if msg == ErrRejected.Error() {
			msg = fmt.Sprintf("Custom action '%s' rejected to run", name)
		}
		return errorReply(http.StatusBadRequest, name, err,
			map[string]any{"error": msg, "action_name": name})
	}
	return failReply(name, err, body)
}

// failReply is the 500 answer, echoing the request body as the SDK does.
func failReply(name string, err error, body []byte) reply {
	echo := json.RawMessage(body)
	if !json.Valid(body) {
		echo = nil
	}
	return errorReply(http.StatusInternalServerError, name, err,
		map[string]any{"error": err.Error(), "request_body": echo})
}

func errorReply(status int, action string, err error, v map[string]any) reply {
	out, mErr := json.Marshal(v)
	if mErr != nil {
		out = []byte(`{"error":"the error could not be written as JSON"}`)
	}
	return reply{status: status, body: out, action: action, err: err}
}
