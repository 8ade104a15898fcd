package actionclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/tracker"
)

// NLGClient asks the external response generator of the nlg: endpoint to
// render responses. When Generate fails, the caller falls back to the
// domain's response; Generate has already logged a warning.
type NLGClient struct {
	ep *endpoint
}

// NewNLG returns a client for the nlg endpoint cfg (see ParseConfig). It
// needs a URL.
func NewNLG(cfg Config, opts Options) (*NLGClient, error) {
	if cfg.URL == "" {
		return nil, fmt.Errorf("%w: the nlg endpoint needs a url", ErrConfig)
	}
	ep, err := newEndpoint(cfg, opts)
	if err != nil {
		return nil, err
	}
	ep.service = nlgService
	return &NLGClient{ep: ep}, nil
}

// nlgService names the nlg endpoint's server in messages.
const nlgService = "nlg server"

// NLGRequest asks for one response.
type NLGRequest struct {
	// Response is the response name, such as "utter_greet".
	Response string
	// ID is the id of the domain's variation, or "" (sent as null).
	ID string
	// Arguments fill the response's placeholders (the kwargs of the call).
	Arguments map[string]any
	// Tracker is the conversation state JSON.
	Tracker json.RawMessage
	// Channel is the output channel's name, such as "rest".
	Channel string
}

// nlgBody is the request JSON, its fields in Rasa's order.
type nlgBody struct {
	Response  string          `json:"response"`
	ID        *string         `json:"id"`
	Arguments map[string]any  `json:"arguments"`
	Tracker   json.RawMessage `json:"tracker"`
	Channel   struct {
		Name string `json:"name"`
	} `json:"channel"`
}

// Generate returns the rendered message ("text", "buttons", "image",
// "elements", "attachment", "custom", ...). Errors are *Error values
// wrapping the sentinels of errors.go.
func (n *NLGClient) Generate(ctx context.Context, req NLGRequest) (map[string]any, error) {
	msg, err := n.generate(ctx, req)
	if err != nil && ctx.Err() == nil {
		n.ep.log.Warn("nlg endpoint failed; using the domain's response instead",
			"response", req.Response, "url", n.ep.cfg.URL, "error", err)
	}
	return msg, err
}

func (n *NLGClient) generate(ctx context.Context, req NLGRequest) (map[string]any, error) {
	b := nlgBody{Response: req.Response, Arguments: req.Arguments, Tracker: req.Tracker}
	if req.ID != "" {
		b.ID = &req.ID
	}
	if b.Arguments == nil {
		b.Arguments = map[string]any{}
	}
	if len(b.Tracker) == 0 {
		b.Tracker = json.RawMessage("null")
	} else if !n.ep.cfg.AllEvents {
		t, err := currentSession(b.Tracker)
		if err != nil {
			return nil, err
		}
		b.Tracker = t
	}
	b.Channel.Name = req.Channel
	body, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("actionclient: writing the nlg request: %w", err)
	}
	ans, err := n.ep.post(ctx, req.Response, body)
	if err != nil {
		return nil, err
	}
	if ans.status != http.StatusOK {
		e := statusError(req.Response, n.ep.cfg.URL, ans)
		if e.Kind != ErrServer {
			e.Kind = ErrStatus
		}
		e.Service, e.Hint = nlgService, "see the nlg server's log"
		return nil, e
	}
	msg, err := checkMessage(ans.body)
	if err != nil {
		return nil, &Error{Kind: ErrInvalidResponse, Action: req.Response, URL: n.ep.cfg.URL,
			Service: nlgService, Status: ans.status, Detail: err.Error(), Err: err,
			Hint: "the nlg endpoint must answer a message object such as {\"text\": \"Hi\"}"}
	}
	return msg, nil
}

// checkMessage decodes an NLG answer and checks the types of its known keys.
func checkMessage(body []byte) (map[string]any, error) {
	var msg map[string]any
	if err := json.Unmarshal(body, &msg); err != nil || msg == nil {
		return nil, errors.New("the answer is not a JSON object")
	}
	if t, ok := msg["text"]; ok && t != nil {
		if _, isText := t.(string); !isText {
			return nil, fmt.Errorf("text must be a string, not %T", t)
		}
	}
	for _, k := range []string{"buttons", "elements", "quick_replies"} {
		if v, ok := msg[k]; ok && v != nil {
			if _, isList := v.([]any); !isList {
				return nil, fmt.Errorf("%s must be a list, not %T", k, v)
			}
		}
	}
	return msg, nil
}

// Dialogue returns the client as the dialogue's NLG: utter actions, the
// failure message and the responses an action server names are rendered
// by the endpoint, with the id of the domain variation that fits (Rasa's
// request shape), and the domain's response is the fallback.
func (n *NLGClient) Dialogue() action.NLG { return dialogueNLG{n} }

// dialogueNLG adapts an NLGClient to action.NLG.
type dialogueNLG struct{ client *NLGClient }

func (g dialogueNLG) Generate(ctx context.Context, c *action.Context, response string,
	kwargs map[string]any) (event.Event, error) {
	state, err := c.Tracker.MarshalState(tracker.EventsAll)
	if err != nil {
		return event.Event{}, fmt.Errorf("actionclient: writing the tracker: %w", err)
	}
	msg, err := g.client.Generate(ctx, NLGRequest{Response: response,
		ID: action.VariationID(c, response), Arguments: kwargs, Tracker: state,
		Channel: c.Channel})
	if err != nil {
		return event.Event{}, err
	}
	return botEvent(msg), nil
}
