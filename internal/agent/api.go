package agent

import (
	"context"

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
	t, err := a.withConversation(ctx, id, func(t *tracker.Tracker) error {
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
// /trigger_intent and reminders), then runs the prediction loop.
func (a *Agent) TriggerIntent(ctx context.Context, id, intent string, entities []nlu.Entity,
	channel string) ([]event.Event, *tracker.Tracker, error) {
	var bots []event.Event
	t, err := a.withConversation(ctx, id, func(t *tracker.Tracker) error {
		tn := a.newTurn(t, channel)
		if err := tn.startSessionIfNeeded(ctx, nil); err != nil {
			return err
		}
		before := len(tn.t.Events)
		in := nlu.Intent{Name: intent, Confidence: 1}
		p := nlu.Parse{Text: "EXTERNAL: " + intent, Intent: in, Entities: entities,
			IntentRanking: []nlu.Intent{in}}
		tn.update(event.Event{Type: event.User, Text: p.Text, Parse: &p, InputChannel: channel,
			MessageID: newMessageID()})
		extracted, _ := action.ExtractSlotsAction{}.Run(ctx, tn.act)
		tn.update(extracted...)
		if err := tn.predictLoop(ctx); err != nil {
			return err
		}
		bots = botEvents(tn.t.Events[before:])
		return nil
	})
	return bots, t, err
}

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
