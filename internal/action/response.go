package action

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/tracker"
)

// Response utters one of the domain's responses (utter_*).
type Response struct {
	ActionName string
	// SilentFail returns no events when the domain lacks the response
	// (used for utter_restart, utter_default, utter_back).
	SilentFail bool
}

// Name implements Action.
func (a Response) Name() string { return a.ActionName }

// Run implements Action.
func (a Response) Run(ctx context.Context, c *Context) ([]event.Event, error) {
	if _, has := c.Domain.Responses[a.ActionName]; a.SilentFail && !has {
		return nil, nil
	}
	ev, ok := Generate(ctx, c, a.ActionName, a.ActionName, nil)
	if !ok {
		if !a.SilentFail {
			c.log().Warn("response not found in the domain; nothing is uttered",
				"conversation", c.Tracker.SenderID, "action", a.ActionName)
		}
		return nil, nil
	}
	return []event.Event{ev}, nil
}

// Utter renders the response named key as a bot event whose metadata names
// utterAction. It is false when the domain has no usable variation.
func Utter(c *Context, key, utterAction string) (event.Event, bool) {
	return utterWith(c, key, utterAction, nil)
}

// utterWith is Utter with kwargs that fill placeholders before the slots
// do; the variation's conditions look at the slots only.
func utterWith(c *Context, key, utterAction string, kwargs map[string]any) (event.Event, bool) {
	slots := c.Tracker.Slots()
	candidates := matchingVariations(c.Domain.Responses[key], c.Channel, slots)
	if len(candidates) == 0 {
		return event.Event{}, false
	}
	r := candidates[pick(c.RNG, len(candidates))]
	values := slots
	if len(kwargs) > 0 {
		values = maps.Clone(slots)
		maps.Copy(values, kwargs)
	}
	return BotEvent(r, values, utterAction), true
}

func pick(rng *rand.Rand, n int) int {
	if rng == nil || n <= 1 {
		return 0
	}
	return rng.IntN(n)
}

// matchingVariations returns the variations to choose from, in Rasa's
// order of preference: conditional ones that hold (for this channel, then
// without a channel), then plain ones for this channel, then plain ones.
func matchingVariations(vs []domain.Response, channel string, slots map[string]any) []domain.Response {
	var condChan, cond, plainChan, plain []domain.Response
	for _, v := range vs {
		switch {
		case len(v.Condition) > 0 && conditionsHold(v.Condition, slots):
			if v.Channel == "" {
				cond = append(cond, v)
			} else if v.Channel == channel {
				condChan = append(condChan, v)
			}
		case len(v.Condition) > 0:
		case v.Channel == "":
			plain = append(plain, v)
		case v.Channel == channel:
			plainChan = append(plainChan, v)
		}
	}
	for _, l := range [][]domain.Response{condChan, cond, plainChan, plain} {
		if len(l) > 0 {
			return l
		}
	}
	return nil
}

func conditionsHold(cs []domain.ResponseCondition, slots map[string]any) bool {
	for _, c := range cs {
		if !sameValue(slots[c.Name], c.Value) {
			return false
		}
	}
	return true
}

// sameValue compares slot values, treating numbers of any Go type alike.
func sameValue(a, b any) bool {
	fa, aok := number(a)
	fb, bok := number(b)
	if aok && bok {
		return fa == fb
	}
	return reflect.DeepEqual(a, b)
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// BotEvent fills a variation's {slot} placeholders and returns the bot
// event Rasa would log for it.
func BotEvent(r domain.Response, slots map[string]any, utterAction string) event.Event {
	data := &event.BotData{Elements: r.Elements, Attachment: r.Attachment, Custom: fillAny(r.Custom, slots)}
	if r.Image != "" {
		data.Image = Fill(r.Image, slots)
		if data.Attachment == nil {
			data.Attachment = data.Image
		}
	}
	for _, b := range r.Buttons {
		data.Buttons = append(data.Buttons, map[string]any{
			"title": Fill(b.Title, slots), "payload": Fill(b.Payload, slots)})
	}
	for _, b := range r.QuickReplies {
		data.QuickReplies = append(data.QuickReplies, map[string]any{
			"title": Fill(b.Title, slots), "payload": Fill(b.Payload, slots)})
	}
	meta := map[string]any{}
	for k, v := range r.Metadata {
		meta[k] = v
	}
	if r.ID != "" {
		meta["id"] = r.ID
	}
	if r.ButtonType != "" {
		meta["button_type"] = r.ButtonType
	}
	meta["utter_action"] = utterAction
	return event.Event{Type: event.Bot, Text: Fill(r.Text, slots), Data: data, Metadata: meta}
}

var placeholder = regexp.MustCompile(`\{([^\n{}]+?)\}`)

// Fill replaces {name} with the slot's value written as Python writes it
// (None, True, 2.0), as Rasa's response templates do. When a placeholder
// names no slot, the text is returned unchanged.
func Fill(text string, slots map[string]any) string {
	if !strings.Contains(text, "{") {
		return text
	}
	missing := false
	out := placeholder.ReplaceAllStringFunc(text, func(m string) string {
		name := m[1 : len(m)-1]
		v, ok := slots[name]
		if !ok {
			missing = true
			return m
		}
		return PyString(v)
	})
	if missing {
		return text
	}
	return out
}

// fillAny fills placeholders in every string of a custom payload.
func fillAny(v any, slots map[string]any) any {
	switch x := v.(type) {
	case string:
		return Fill(x, slots)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = fillAny(e, slots)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fillAny(e, slots)
		}
		return out
	}
	return v
}

// PyString writes a value the way Python's str() does.
func PyString(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case string:
		return x
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if !strings.ContainsAny(s, ".e") {
			s += ".0"
		}
		return s
	case int:
		return strconv.Itoa(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = pyRepr(k) + ": " + pyRepr(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

func pyRepr(v any) string {
	if s, ok := v.(string); ok {
		return "'" + strings.ReplaceAll(s, "'", "\\'") + "'"
	}
	return PyString(v)
}

// retrieval utters the response the response selector chose for a
// retrieval intent: utter_faq (or respond_faq) answers faq/ask_hours with
// utter_faq/ask_hours, and the bot event's utter_action names that
// response, as in Rasa.
type retrieval struct {
	name   string
	intent string
}

func (a retrieval) Name() string { return a.name }

func (a retrieval) Run(ctx context.Context, c *Context) ([]event.Event, error) {
	key := FullRetrievalName(c.Tracker, a.intent)
	if key == "" {
		c.log().Warn("no response selector result for the retrieval intent; nothing is uttered",
			"conversation", c.Tracker.SenderID, "action", a.name, "intent", a.intent)
		return nil, nil
	}
	response := "utter_" + key
	ev, ok := Generate(ctx, c, response, response, nil)
	if !ok {
		c.log().Warn("the domain has no response for the selected retrieval intent",
			"conversation", c.Tracker.SenderID, "action", a.name, "response", response)
		return nil, nil
	}
	return []event.Event{ev}, nil
}

// FullRetrievalName returns "faq/ask_hours" for the retrieval intent faq
// from the latest message's response selector (its "faq" entry, else its
// "default" one), falling back to the intent's full retrieval name.
func FullRetrievalName(t *tracker.Tracker, intent string) string {
	p := t.LatestParse()
	if rs := p.ResponseSelector; rs != nil {
		for _, k := range []string{intent, "default"} {
			if sel, ok := rs.Selectors[k]; ok && sel.Response.IntentResponseKey != nil {
				return *sel.Response.IntentResponseKey
			}
		}
	}
	if strings.HasPrefix(p.Intent.FullRetrievalName, intent+"/") {
		return p.Intent.FullRetrievalName
	}
	return ""
}
