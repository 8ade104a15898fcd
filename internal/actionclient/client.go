package actionclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// DefaultVersion is the Rasa version Parley announces in action calls. Rasa
// SDK servers compare it with their own version and only warn on a
// mismatch.
const DefaultVersion = "3.6.20"

// Local runs actions in the calling process. *sdk.Registry implements it:
// HandleErr takes the webhook body and answers with the JSON and the status
// an action server would give, and the failure behind any other status
// than 200 (with a Stack method when the action panicked).
type Local interface {
	Has(name string) bool
	HandleErr(ctx context.Context, body []byte) ([]byte, int, error)
	// Names lists the actions, sorted.
	Names() []string
}

// Request is one action call.
type Request struct {
	// NextAction is the action to run.
	NextAction string
	// SenderID is the conversation id.
	SenderID string
	// Tracker is the conversation state JSON (Rasa's current_state with
	// every event). Unless the endpoint sets tracker_events: all, the
	// client keeps only the events of the current session.
	Tracker json.RawMessage
	// Domain is the domain JSON (domain.Domain.AsDictJSON).
	Domain json.RawMessage
	// SendDomain says that the action needs the domain under selective
	// domain (domain.Domain.SendsDomain). Names starting with validate_
	// always get it.
	SendDomain bool
	// Version overrides Options.Version for this call.
	Version string
}

// Client calls custom actions: in process when Options.Local has them,
// otherwise at the action endpoint. It is safe for concurrent use.
type Client struct {
	ep      *endpoint
	local   Local
	version string
	health  health
}

// New returns a client for the action endpoint cfg (see ParseConfig).
func New(cfg Config, opts Options) (*Client, error) {
	ep, err := newEndpoint(cfg, opts)
	if err != nil {
		return nil, err
	}
	v := opts.Version
	if v == "" {
		v = DefaultVersion
	}
	c := &Client{ep: ep, local: opts.Local, version: v}
	c.health.state.Up = true
	return c, nil
}

// URL returns the action endpoint's URL, or "" when none is configured.
func (c *Client) URL() string { return c.ep.cfg.URL }

// LocalActions lists the actions run in process, sorted (nil for none).
func (c *Client) LocalActions() []string {
	if c.local == nil {
		return nil
	}
	return c.local.Names()
}

// RunsLocally reports whether the action runs in process.
func (c *Client) RunsLocally(action string) bool {
	return c.local != nil && c.local.Has(action)
}

// Call runs the action and returns its answer. A failure is an *Error
// wrapping one of the sentinels of errors.go, or the context's error when
// ctx ended. Call logs one line per failure (a rejection at debug level),
// with the action, the conversation and the URL, so the caller need not log
// it again.
func (c *Client) Call(ctx context.Context, req Request) (*Response, error) {
	res, err := c.call(ctx, req)
	if err != nil {
		c.logFailure(ctx, req, err)
	}
	return res, err
}

func (c *Client) call(ctx context.Context, req Request) (*Response, error) {
	body, err := c.body(req)
	if err != nil {
		return nil, err
	}
	if c.RunsLocally(req.NextAction) {
		return c.callLocal(ctx, req.NextAction, body)
	}
	if c.ep.url == "" {
		return nil, &Error{Kind: ErrNoEndpoint, Action: req.NextAction,
			Hint: "add action_endpoint: {url: \"http://localhost:5055/webhook\"} to " +
				"endpoints.yml, or register the action in the binary"}
	}
	ans, err := c.ep.post(ctx, req.NextAction, body)
	if err == nil {
		var res *Response
		res, err = parseAnswer(req.NextAction, c.ep.cfg.URL, ans)
		if err == nil {
			c.health.record(nil, time.Now())
			return res, nil
		}
	}
	if ctx.Err() == nil {
		c.health.record(err, time.Now())
	}
	return nil, err
}

// inProcess names, in messages, an action this binary runs itself.
const inProcess = "action run in this process"

// stackError is the error of an action that panicked in process.
type stackError interface {
	error
	Stack() []byte
}

// localAnswer is what an action run in process gave.
type localAnswer struct {
	answer
	err error
}

// callLocal runs an action of this process within the endpoint's timeout,
// as over HTTP. An action still running at the deadline goes on with its
// context cancelled, but the turn no longer waits for it.
func (c *Client) callLocal(ctx context.Context, name string, body []byte) (*Response, error) {
	cctx, cancel := context.WithTimeout(ctx, c.ep.cfg.Timeout)
	defer cancel()
	done := make(chan localAnswer, 1)
	go func() {
		out, status, err := c.local.HandleErr(cctx, body)
		done <- localAnswer{answer{status: status, body: out}, err}
	}()
	select {
	case a := <-done:
		res, err := parseAnswer(name, "", a.answer)
		if e, ok := errors.AsType[*Error](err); ok && a.err != nil {
			e.Err = a.err // the action's own error, with its stack after a panic
			e.Service = inProcess
			e.Hint = "the action runs in this process: its error is in this line (its stack " +
				"too, after a panic)"
		}
		return res, err
	case <-cctx.Done():
		if ctx.Err() != nil {
			return nil, fmt.Errorf("calling %s in process: %w", name, ctx.Err())
		}
		return nil, &Error{Kind: ErrTimeout, Action: name, Service: inProcess,
			Detail: fmt.Sprintf("no answer within %s", c.ep.cfg.Timeout),
			Hint:   "make the action faster or raise timeout under action_endpoint in endpoints.yml"}
	}
}

// callBody is the action call JSON, its fields in Rasa's order.
type callBody struct {
	NextAction string          `json:"next_action"`
	SenderID   string          `json:"sender_id"`
	Tracker    json.RawMessage `json:"tracker"`
	Domain     json.RawMessage `json:"domain,omitempty"`
	Version    string          `json:"version"`
}

// body returns the JSON of the action call.
func (c *Client) body(req Request) ([]byte, error) {
	if req.NextAction == "" || len(req.Tracker) == 0 {
		return nil, errors.New("actionclient: a call needs an action name and a tracker")
	}
	b := callBody{NextAction: req.NextAction, SenderID: req.SenderID, Version: req.Version}
	if b.Version == "" {
		b.Version = c.version
	}
	b.Tracker = req.Tracker
	if !c.ep.cfg.AllEvents {
		t, err := currentSession(req.Tracker)
		if err != nil {
			return nil, err
		}
		b.Tracker = t
	}
	if !c.ep.cfg.SelectiveDomain || req.SendDomain ||
		strings.HasPrefix(req.NextAction, "validate_") {
		b.Domain = req.Domain
	}
	out, err := marshal(b)
	if err != nil {
		return nil, fmt.Errorf("actionclient: writing the call of %s: %w", req.NextAction, err)
	}
	return out, nil
}

// eventHead is what currentSession reads of each event.
type eventHead struct {
	Event string `json:"event"`
	Name  string `json:"name"`
}

// currentSession returns the tracker JSON with only the events of the
// current session: from the action_session_start that precedes the latest
// session_started. A tracker without sessions is returned unchanged.
func currentSession(tracker json.RawMessage) (json.RawMessage, error) {
	var state map[string]json.RawMessage
	if err := json.Unmarshal(tracker, &state); err != nil {
		return nil, fmt.Errorf("actionclient: the tracker is not a JSON object: %w", err)
	}
	var events []json.RawMessage
	if err := json.Unmarshal(state["events"], &events); err != nil || len(events) == 0 {
		return tracker, nil
	}
	start := 0
	for i := len(events) - 1; i > 0; i-- {
		var h eventHead
		if json.Unmarshal(events[i], &h) == nil && h.Event == "session_started" {
			start = i
			var prev eventHead
			if json.Unmarshal(events[i-1], &prev) == nil && prev.Event == "action" &&
				prev.Name == "action_session_start" {
				start = i - 1
			}
			break
		}
	}
	if start == 0 {
		return tracker, nil
	}
	kept, err := marshal(events[start:])
	if err != nil {
		return nil, fmt.Errorf("actionclient: trimming the tracker: %w", err)
	}
	state["events"] = kept
	return marshal(state)
}

// marshal writes compact JSON without escaping < > &, as Parley writes
// events.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// logFailure writes the one log line of a failed call.
func (c *Client) logFailure(ctx context.Context, req Request, err error) {
	attrs := []any{"action", req.NextAction, "conversation", req.SenderID, "error", err}
	if c.RunsLocally(req.NextAction) {
		attrs = append(attrs, "in_process", true)
		if p, ok := errors.AsType[stackError](err); ok {
			attrs = append(attrs, "stack", string(p.Stack()))
		}
	} else {
		attrs = append(attrs, "url", c.ep.cfg.URL)
	}
	if id := RequestID(ctx); id != "" {
		attrs = append(attrs, "request_id", id)
	}
	if errors.Is(err, ErrRejected) {
		c.ep.log.Debug("custom action rejected to run", attrs...)
		return
	}
	c.ep.log.Error("custom action failed; the bot continues without its events", attrs...)
}

// statusError maps a status other than 200 to its error.
func statusError(action, url string, ans answer) *Error {
	e := &Error{Action: action, URL: url, Status: ans.status}
	var msg struct {
		Error      string `json:"error"`
		ActionName string `json:"action_name"`
	}
	_ = json.Unmarshal(ans.body, &msg) // a body that is not JSON leaves msg empty
	e.Detail = msg.Error
	switch {
	case ans.status == http.StatusBadRequest && msg.ActionName != "":
		e.Kind = ErrRejected
		e.Action = msg.ActionName
	case ans.status == http.StatusNotFound:
		e.Kind = ErrActionNotFound
		e.Hint = "list the action in the action server, or remove it from the domain"
	case ans.status >= 500:
		e.Kind = ErrServer
		e.Hint = "see the action server's log"
	default:
		e.Kind = ErrStatus
	}
	if e.Detail == "" {
		e.Detail = snippet(ans.body)
	}
	return e
}

// snippet returns the start of a body for an error message.
func snippet(body []byte) string {
	s := strings.TrimSpace(string(body))
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}
