package actionclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sync"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/tracker"
)

// Runner runs custom actions for the dialogue (it is an action.Runner): it
// writes the call from the tracker and the domain, calls the action through
// its Client (in process or over HTTP), and turns the answer into the
// events the bot applies, rendering the answer's responses as utter actions
// render theirs (through the nlg endpoint when one is configured).
type Runner struct {
	client  *Client
	domains domainCache
}

var _ action.Runner = (*Runner)(nil)

// NewRunner returns a Runner calling actions through c.
func NewRunner(c *Client) *Runner { return &Runner{client: c} }

// Client returns the client the runner calls actions with.
func (r *Runner) Client() *Client { return r.client }

func (r *Runner) log() *slog.Logger { return r.client.ep.log }

// Run implements action.Runner. A rejection wraps action.ErrRejected; any
// other failure wraps action.ErrRunnerFailed and has been logged once (by
// the Client), with the action, the conversation and the URL.
func (r *Runner) Run(ctx context.Context, name string, c *action.Context) ([]event.Event, error) {
	req, err := r.request(name, c)
	if err != nil {
		r.log().Error("the custom action call could not be written", "action", name,
			"conversation", c.Tracker.SenderID, "error", err)
		return nil, fmt.Errorf("%w: %w", action.ErrRunnerFailed, err)
	}
	res, err := r.client.Call(ctx, req)
	switch {
	case errors.Is(err, ErrRejected):
		return nil, fmt.Errorf("%w: %w", action.ErrRejected, err)
	case err != nil && ctx.Err() != nil:
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("%w: %w", action.ErrRunnerFailed, err)
	}
	for _, skipped := range res.Skipped {
		r.log().Warn("the action returned an event of an unknown type; it is dropped",
			"action", name, "conversation", c.Tracker.SenderID, "error", skipped)
	}
	events, err := res.AllEvents(ctx, r.render(c))
	if err != nil {
		r.log().Warn("a response of the action could not be rendered; it is left out",
			"action", name, "conversation", c.Tracker.SenderID, "error", err)
	}
	return events, nil
}

// request writes the call of the action for the context's tracker.
func (r *Runner) request(name string, c *action.Context) (Request, error) {
	state, err := c.Tracker.MarshalState(tracker.EventsAll)
	if err != nil {
		return Request{}, fmt.Errorf("writing the tracker: %w", err)
	}
	dom, err := r.domains.json(c.Domain)
	if err != nil {
		return Request{}, fmt.Errorf("writing the domain: %w", err)
	}
	return Request{NextAction: name, SenderID: c.Tracker.SenderID, Tracker: state,
		Domain: dom, SendDomain: c.Domain.SendsDomain(name)}, nil
}

// render renders a domain response named by an answer, with the call's
// tracker, as the utter actions do.
func (r *Runner) render(c *action.Context) Render {
	return func(ctx context.Context, name string, kwargs map[string]any) (map[string]any, error) {
		ev, ok := action.Generate(ctx, c, name, name, kwargs)
		if !ok {
			r.log().Warn("the action sent a response the domain does not have; "+
				"it is not uttered", "response", name, "conversation", c.Tracker.SenderID)
			return nil, nil
		}
		return messageOf(ev), nil
	}
}

// messageOf turns a bot event back into the message dict it was made from
// (the inverse of botEvent): text, the data keys that are set, and the
// metadata keys.
func messageOf(e event.Event) map[string]any {
	m := maps.Clone(e.Metadata)
	if m == nil {
		m = map[string]any{}
	}
	m["text"] = e.Text
	d := e.Data
	if d == nil {
		return m
	}
	set := func(k string, v any) {
		if truthy(v) {
			m[k] = v
		}
	}
	set("elements", d.Elements)
	set("quick_replies", mapsAsAny(d.QuickReplies))
	set("buttons", mapsAsAny(d.Buttons))
	set("attachment", d.Attachment)
	set("image", d.Image)
	set("custom", d.Custom)
	return m
}

func mapsAsAny(ms []map[string]any) []any {
	out := make([]any, len(ms))
	for i, m := range ms {
		out[i] = m
	}
	return out
}

// domainCache keeps the JSON of the latest domain, so that each model's
// domain is written once.
type domainCache struct {
	mu     sync.Mutex
	domain *domain.Domain
	data   json.RawMessage
}

func (dc *domainCache) json(d *domain.Domain) (json.RawMessage, error) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	if dc.domain == d && dc.data != nil {
		return dc.data, nil
	}
	data, err := d.AsDictJSON()
	if err != nil {
		return nil, err
	}
	dc.domain, dc.data = d, data
	return data, nil
}
