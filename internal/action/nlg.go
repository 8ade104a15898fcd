package action

import (
	"context"

	"github.com/parley-chat/parley/internal/event"
)

// Generate renders the response named key as a bot event whose metadata
// names utterAction. With an NLG in the context the external service
// renders it, and the domain's variations are the fallback when it fails.
// kwargs fill {placeholders} before the slots do (an action server's
// response arguments). It is false when no message could be made.
func Generate(ctx context.Context, c *Context, key, utterAction string,
	kwargs map[string]any) (event.Event, bool) {
	if c.NLG != nil {
		ev, err := c.NLG.Generate(ctx, c, key, kwargs)
		if err == nil {
			if ev.Metadata == nil {
				ev.Metadata = map[string]any{}
			}
			ev.Metadata["utter_action"] = utterAction
			return ev, true
		}
	}
	return utterWith(c, key, utterAction, kwargs)
}

// VariationID returns the id of the first variation of the response that
// fits the channel and the slots, or "" (Rasa sends it to the nlg
// endpoint).
func VariationID(c *Context, key string) string {
	candidates := matchingVariations(c.Domain.Responses[key], c.Channel, c.Tracker.Slots())
	if len(candidates) == 0 {
		return ""
	}
	return candidates[0].ID
}
