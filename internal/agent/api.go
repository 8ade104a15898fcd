package agent

import (
	"context"
	"maps"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/policy"
	"github.com/parley-chat/parley/internal/tracker"
)

// This file holds more of what the HTTP API needs besides HandleMessage
// (api_conversation.go has the event operations): running one action,
// triggering an intent, and predicting without acting.

// sessionStart is the prediction action_session_start runs with.
func sessionStart() policy.Prediction {
	return policy.Prediction{Action: action.SessionStart, Confidence: 1}
}

// ExecuteAction runs one named action in a conversation (starting a session
// if needed), as Rasa's /conversations/<id>/execute; it returns the bot
// events and the new state.
func (a *Agent) ExecuteAction(ctx context.Context, id, name, channel string,
	policyName string, confidence float64) ([]event.Event, *tracker.Tracker, error) {
	var bots []event.Event
	t, err := a.actOnConversation(ctx, id, channel, func(t *tracker.Tracker) error {
		tn := a.newTurn(t, channel)
		if err := tn.startSessionIfNeeded(ctx, nil); err != nil {
			return err
		}
		before := len(tn.t.Events)
		if _, err := tn.run(ctx, policy.Prediction{Action: name, Policy: policyName,
			Confidence: confidence}); err != nil {
			return err
		}
		bots = botEvents(tn.t.Events[before:])
		return nil
	})
	return bots, t, err
}

// TriggerIntent injects an intent as if the user had sent it (Rasa's
// /trigger_intent), then runs the prediction loop. channel names the output
// channel (it selects channel-specific responses); the user event keeps the
// conversation's latest input channel, as in Rasa.
func (a *Agent) TriggerIntent(ctx context.Context, id, intent string, entities []nlu.Entity,
	channel string) ([]event.Event, *tracker.Tracker, error) {
	var bots []event.Event
	t, err := a.actOnConversation(ctx, id, channel, func(t *tracker.Tracker) error {
		var err error
		bots, err = a.newTurn(t, channel).external(ctx, intent, entities, nil)
		return err
	})
	return bots, t, err
}

// external runs a turn for an external event: a session start if needed,
// the user event Rasa logs for it, action_extract_slots and the prediction
// loop. extra is added to the user event's metadata. It returns the bot
// events of the turn.
func (tn *turn) external(ctx context.Context, intent string, entities []nlu.Entity,
	extra map[string]any) ([]event.Event, error) {
	if err := tn.startSessionIfNeeded(ctx, nil); err != nil {
		return nil, err
	}
	before := len(tn.t.Events)
	tn.update(externalUserEvent(intent, entities, tn.t.LatestInputChannel(), extra))
	extracted, _ := action.ExtractSlotsAction{}.Run(ctx, tn.act)
	tn.update(extracted...)
	if err := tn.predictLoop(ctx); err != nil {
		return nil, err
	}
	return botEvents(tn.t.Events[before:]), nil
}

// externalUserEvent is the user event of an external intent (a reminder or
// /trigger_intent): text "EXTERNAL: <intent>" and metadata is_external
// true, as Rasa logs it, plus the extra metadata.
func externalUserEvent(intent string, entities []nlu.Entity, inputChannel string,
	extra map[string]any) event.Event {
	in := nlu.Intent{Name: intent, Confidence: 1}
	p := nlu.Parse{Text: ExternalPrefix + intent, Intent: in, Entities: entities,
		IntentRanking: []nlu.Intent{in}}
	meta := map[string]any{IsExternalKey: true}
	maps.Copy(meta, extra)
	return event.Event{Type: event.User, Text: p.Text, Parse: &p, InputChannel: inputChannel,
		MessageID: newMessageID(), Metadata: meta}
}

// Marks of an external user event.
const (
	// ExternalPrefix starts the text of an external user event.
	ExternalPrefix = "EXTERNAL: "
	// IsExternalKey is the metadata key that marks an external user event.
	IsExternalKey = "is_external"
)

// PredictNext returns what the policies would do next in a conversation,
// without running it.
func (a *Agent) PredictNext(ctx context.Context, id string) (policy.Prediction, *tracker.Tracker, error) {
	t, err := a.load(ctx, id)
	if err != nil {
		return policy.Prediction{}, nil, err
	}
	if a.opts.Policies == nil {
		return policy.Prediction{Action: action.Listen}, t, nil
	}
	return a.opts.Policies.Predict(t), t, nil
}
