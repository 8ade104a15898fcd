package actionclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"

	"github.com/parley-chat/parley/internal/event"
)

// Response is an action server's answer to a call.
type Response struct {
	// Events are the returned events, decoded, in order; their timestamps
	// are those the server gave (usually none: 0).
	Events []event.Event
	// Responses are the messages the action sent, as the server wrote
	// them.
	Responses []map[string]any
	// Skipped reports returned events of unknown types, which were
	// dropped; the caller may log them.
	Skipped []error
}

// Render renders the named domain response with kwargs filling its
// {placeholders}, as the bot's response generator does for the tracker of
// the call. It returns the message with Rasa's keys ("text", "buttons",
// "image", "custom", "attachment", "elements", "quick_replies", plus any
// other key, which goes into the bot event's metadata), or nil when the
// domain has no such response.
type Render func(ctx context.Context, response string,
	kwargs map[string]any) (map[string]any, error)

// parseAnswer decodes a 200 answer or maps another status to its error.
func parseAnswer(action, url string, ans answer) (*Response, error) {
	if ans.status != http.StatusOK {
		return nil, statusError(action, url, ans)
	}
	invalid := func(detail string, err error) error {
		return &Error{Kind: ErrInvalidResponse, Action: action, URL: url, Status: ans.status,
			Detail: detail, Err: err,
			Hint: "the answer must be {\"events\": [...], \"responses\": [...]}"}
	}
	var raw struct {
		Events    json.RawMessage  `json:"events"`
		Responses []map[string]any `json:"responses"`
	}
	trimmed := bytes.TrimSpace(ans.body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, invalid("the answer is not a JSON object of events and responses", nil)
	}
	if err := json.Unmarshal(trimmed, &raw); err != nil {
		return nil, invalid("the answer is not a JSON object of events and responses", err)
	}
	res := &Response{Responses: raw.Responses}
	if len(raw.Events) > 0 && !bytes.Equal(raw.Events, []byte("null")) {
		events, skipped, err := event.DecodeList(raw.Events)
		if err != nil {
			return nil, invalid("bad events", err)
		}
		res.Events, res.Skipped = events, skipped
	}
	for i, r := range res.Responses {
		if r == nil {
			return nil, invalid(fmt.Sprintf("response %d is not an object", i), nil)
		}
	}
	return res, nil
}

// AllEvents returns the events the bot applies for the answer: one bot
// event per response first, then the returned events. A response that
// cannot be rendered is left out and reported in the error, joined; the
// events are returned either way.
func (r *Response) AllEvents(ctx context.Context, render Render) ([]event.Event, error) {
	bots, err := r.BotEvents(ctx, render)
	return append(bots, r.Events...), err
}

// BotEvents returns one bot event per response, as Rasa builds them:
//
//  1. a "response" (or the older "template") name is rendered with render,
//     the entry's other keys as kwargs, and its name is kept as the
//     metadata's utter_action; a name the domain lacks gives no message;
//  2. the entry's buttons are appended to the rendered buttons;
//  3. the entry's other non-empty keys replace the rendered ones.
//
// Keys that are not part of a message (kwargs, utter_action, id) end up in
// the bot event's metadata.
func (r *Response) BotEvents(ctx context.Context, render Render) ([]event.Event, error) {
	var out []event.Event
	var errs []error
	for _, entry := range r.Responses {
		draft, err := r.draft(ctx, entry, render)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if draft != nil {
			out = append(out, botEvent(draft))
		}
	}
	return out, errors.Join(errs...)
}

// draft merges one response entry into the message it sends; nil means no
// message.
func (r *Response) draft(ctx context.Context, entry map[string]any,
	render Render) (map[string]any, error) {
	m := maps.Clone(entry)
	name, _ := m["response"].(string)
	if name == "" {
		name, _ = m["template"].(string)
	}
	delete(m, "response")
	delete(m, "template")
	draft := map[string]any{}
	if name != "" {
		if render == nil {
			return nil, fmt.Errorf("response %s: no renderer", name)
		}
		rendered, err := render(ctx, name, maps.Clone(m))
		if err != nil {
			return nil, fmt.Errorf("rendering %s: %w", name, err)
		}
		if len(rendered) == 0 {
			return nil, nil
		}
		draft = maps.Clone(rendered)
		draft["utter_action"] = name
	}
	if buttons := anyList(m["buttons"]); len(buttons) > 0 {
		draft["buttons"] = append(anyList(draft["buttons"]), buttons...)
	}
	delete(m, "buttons")
	for k, v := range m {
		if truthy(v) {
			draft[k] = v
		}
	}
	return draft, nil
}

// truthy mirrors Python's truth test, which Rasa uses to skip empty keys.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case int64:
		return x != 0
	case int:
		return x != 0
	case float64:
		return x != 0
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

// botEvent turns a message draft into a bot event (Rasa's
// create_bot_utterance): the message keys go into data, the rest into
// metadata.
func botEvent(draft map[string]any) event.Event {
	m := maps.Clone(draft)
	pop := func(k string) any {
		v := m[k]
		delete(m, k)
		return v
	}
	text := pop("text")
	data := &event.BotData{
		Elements:     anyList(pop("elements")),
		QuickReplies: mapList(pop("quick_replies")),
		Buttons:      mapList(pop("buttons")),
		Attachment:   pop("attachment"),
	}
	data.Image = m["image"]
	if !truthy(data.Attachment) {
		data.Attachment = data.Image
	}
	delete(m, "image")
	data.Custom = pop("custom")
	e := event.Event{Type: event.Bot, Data: data}
	if s, ok := text.(string); ok {
		e.Text = s
	} else if text != nil {
		e.Text = fmt.Sprint(text)
	}
	if len(m) > 0 {
		e.Metadata = m
	}
	return e
}

// anyList returns v as a list; other list types go through JSON.
func anyList(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	var out []any
	viaJSON(v, &out)
	return out
}

// mapList returns v as a list of objects, dropping other items.
func mapList(v any) []map[string]any {
	if x, ok := v.([]map[string]any); ok {
		return x
	}
	var out []map[string]any
	for _, item := range anyList(v) {
		if m, ok := item.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// viaJSON converts v into dst through JSON, leaving dst unchanged when it
// does not fit.
func viaJSON(v, dst any) {
	b, err := json.Marshal(v)
	if err == nil {
		_ = json.Unmarshal(b, dst) // a value of another shape is dropped
	}
}
