package action

import (
	"context"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
)

// Names of Rasa's default actions.
const (
	Listen             = "action_listen"
	Restart            = "action_restart"
	SessionStart       = "action_session_start"
	DefaultFallback    = "action_default_fallback"
	DeactivateLoop     = "action_deactivate_loop"
	RevertFallback     = "action_revert_fallback_events"
	AskAffirmation     = "action_default_ask_affirmation"
	AskRephrase        = "action_default_ask_rephrase"
	TwoStageFallback   = "action_two_stage_fallback"
	Back               = "action_back"
	UnlikelyIntent     = "action_unlikely_intent"
	SendText           = "action_send_text"
	ExtractSlots       = "action_extract_slots"
	legacyDeactivation = "action_deactivate_form"
)

// builtinFunc is a default action written as a function.
type builtinFunc struct {
	name string
	run  func(ctx context.Context, c *Context) ([]event.Event, error)
}

func (b builtinFunc) Name() string { return b.name }

func (b builtinFunc) Run(ctx context.Context, c *Context) ([]event.Event, error) {
	return b.run(ctx, c)
}

// builtin returns the default action of that name.
func builtin(name string) (Action, bool) {
	var run func(ctx context.Context, c *Context) ([]event.Event, error)
	switch name {
	case Listen, UnlikelyIntent:
		run = func(context.Context, *Context) ([]event.Event, error) { return nil, nil }
	case Restart:
		run = runRestart
	case SessionStart:
		run = runSessionStart
	case DefaultFallback:
		run = runDefaultFallback
	case TwoStageFallback:
		return twoStageFallback{}, true
	case DeactivateLoop, legacyDeactivation:
		run = runDeactivateLoop
	case Back:
		run = runBack
	case AskRephrase:
		run = utterThen("utter_ask_rephrase")
	case AskAffirmation:
		run = runAskAffirmation
	case RevertFallback:
		run = runRevertFallback
	case SendText:
		run = runSendText
	case ExtractSlots:
		return ExtractSlotsAction{}, true
	default:
		return nil, false
	}
	return builtinFunc{name: name, run: run}, true
}

// utterThen utters a response if the domain has it, then adds events.
func utterThen(response string, after ...event.Event) func(context.Context, *Context) ([]event.Event, error) {
	return func(ctx context.Context, c *Context) ([]event.Event, error) {
		evs, _ := Response{ActionName: response, SilentFail: true}.Run(ctx, c)
		return append(evs, after...), nil
	}
}

// runRestart utters utter_restart if defined, then restarts.
func runRestart(ctx context.Context, c *Context) ([]event.Event, error) {
	return utterThen("utter_restart", event.Event{Type: event.Restart})(ctx, c)
}

// runDefaultFallback utters utter_default if defined and takes the user's
// message back.
func runDefaultFallback(ctx context.Context, c *Context) ([]event.Event, error) {
	return utterThen("utter_default", event.Event{Type: event.Rewind})(ctx, c)
}

// runBack utters utter_back if defined and takes back two user turns.
func runBack(ctx context.Context, c *Context) ([]event.Event, error) {
	return utterThen("utter_back", event.Event{Type: event.Rewind},
		event.Event{Type: event.Rewind})(ctx, c)
}

func runDeactivateLoop(context.Context, *Context) ([]event.Event, error) {
	return []event.Event{{Type: event.ActiveLoop},
		{Type: event.Slot, Name: domain.RequestedSlot}}, nil
}

// runSessionStart starts a session: session_started, the slots carried
// over (when the domain says so), the session metadata, action_listen.
func runSessionStart(_ context.Context, c *Context) ([]event.Event, error) {
	evs := []event.Event{{Type: event.SessionStarted}}
	carried := false
	if c.Domain.Session.CarryOverSlots {
		for _, e := range c.Tracker.AppliedEvents() {
			if e.Type == event.Slot {
				evs = append(evs, event.Event{Type: event.Slot, Name: e.Name, Value: e.Value,
					Metadata: e.Metadata})
				carried = carried || e.Name == domain.SessionStartedMetadata
			}
		}
	}
	if m := c.Tracker.Slot(domain.SessionStartedMetadata); m != nil && !carried {
		evs = append(evs, event.Event{Type: event.Slot, Name: domain.SessionStartedMetadata, Value: m})
	}
	return append(evs, event.Event{Type: event.Action, Name: Listen}), nil
}

// runAskAffirmation asks "Did you mean '<intent>'?" with Yes/No buttons.
func runAskAffirmation(_ context.Context, c *Context) ([]event.Event, error) {
	p := c.Tracker.LatestParse()
	intent := p.Intent.Name
	if intent == "nlu_fallback" && len(p.IntentRanking) > 1 {
		intent = p.IntentRanking[1].Name
	}
	buttons := []map[string]any{
		{"title": "Yes", "payload": "/" + intent},
		{"title": "No", "payload": "/out_of_scope"},
	}
	return []event.Event{{Type: event.Bot, Text: "Did you mean '" + intent + "'?",
		Data:     &event.BotData{Buttons: buttons},
		Metadata: map[string]any{"utter_action": AskAffirmation}}}, nil
}

// runRevertFallback drops the turns of a two-stage fallback.
func runRevertFallback(context.Context, *Context) ([]event.Event, error) {
	return []event.Event{{Type: event.Rewind}}, nil
}

// runSendText utters the "message" of the latest user message's metadata.
func runSendText(_ context.Context, c *Context) ([]event.Event, error) {
	var text string
	if m := c.Tracker.LatestMessage(); m != nil {
		text, _ = m.Metadata["message"].(string)
	}
	return []event.Event{{Type: event.Bot, Text: text, Data: &event.BotData{},
		Metadata: map[string]any{"utter_action": SendText}}}, nil
}
