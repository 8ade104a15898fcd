package agent

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/policy"
	"github.com/parley-chat/parley/internal/tracker"
)

// policyFollowup is the policy name recorded for a followup action.
const policyFollowup = "followup_action"

// turn is one message being handled.
type turn struct {
	a   *Agent
	t   *tracker.Tracker
	act *action.Context
}

func (a *Agent) newTurn(t *tracker.Tracker, channel string) *turn {
	return &turn{a: a, t: t, act: &action.Context{Tracker: t, Domain: a.opts.Domain,
		Channel: channel, RNG: a.rng(t.SenderID, len(t.Events)), Logger: a.log,
		Runner: a.opts.Runner, NLG: a.opts.NLG}}
}

// now returns the clock's time as Rasa's float timestamp.
func (tn *turn) now() float64 {
	return float64(tn.a.opts.Clock().UnixNano()) / float64(time.Second)
}

// update stamps events that have no time yet, names reminders that have no
// name (as Rasa gives them a UUID), and applies them.
func (tn *turn) update(events ...event.Event) {
	for _, e := range events {
		if e.Timestamp == 0 {
			e.Timestamp = tn.now()
		}
		if e.Type == event.Reminder && e.Name == "" {
			e.Name = newReminderName()
		}
		tn.t.Update(e)
	}
}

// handle runs the whole turn on the tracker.
func (tn *turn) handle(ctx context.Context, msg UserMessage) error {
	if err := tn.startSessionIfNeeded(ctx, msg.Metadata); err != nil {
		return err
	}
	tn.update(tn.userEvent(ctx, msg))
	extracted, _ := action.ExtractSlotsAction{}.Run(ctx, tn.act)
	tn.update(extracted...)
	if tn.t.Paused() && tn.t.LatestIntent() != "restart" {
		return nil
	}
	return tn.predictLoop(ctx)
}

// userEvent parses the message and returns its user event.
func (tn *turn) userEvent(ctx context.Context, msg UserMessage) event.Event {
	id := msg.MessageID
	if id == "" {
		id = newMessageID()
	}
	p := tn.a.parseMessage(ctx, msg)
	return event.Event{Type: event.User, Text: msg.Text, Parse: &p,
		InputChannel: msg.InputChannel, MessageID: id, Metadata: msg.Metadata}
}

func newMessageID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// startSessionIfNeeded runs action_session_start for a new conversation or
// when the last user message is older than session_expiration_time.
func (tn *turn) startSessionIfNeeded(ctx context.Context, metadata map[string]any) error {
	if len(tn.t.AppliedEvents()) > 0 && !tn.sessionExpired() {
		return nil
	}
	if len(metadata) > 0 {
		tn.update(event.Event{Type: event.Slot, Name: domain.SessionStartedMetadata, Value: metadata})
	}
	_, err := tn.run(ctx, policy.Prediction{Action: action.SessionStart, Confidence: 1})
	return err
}

func (tn *turn) sessionExpired() bool {
	minutes := tn.a.opts.Domain.Session.ExpirationMinutes
	if minutes <= 0 {
		return false
	}
	last := tn.t.LastUserEvent()
	if last == nil {
		return false
	}
	return (tn.now()-last.Timestamp)/60 > minutes
}

// predictLoop predicts and runs actions until action_listen, at most
// MaxPredictions of them.
func (tn *turn) predictLoop(ctx context.Context) error {
	more := true
	n := 0
	for more && n < tn.a.opts.MaxPredictions {
		if err := ctx.Err(); err != nil {
			return err
		}
		if tn.t.Paused() && tn.t.LatestIntent() != "restart" {
			return nil
		}
		var err error
		more, err = tn.run(ctx, tn.predict())
		if err != nil {
			return err
		}
		n++
	}
	if more {
		tn.a.log.Warn("circuit breaker tripped: stopped predicting more actions",
			"conversation", tn.t.SenderID, "max_predictions", tn.a.opts.MaxPredictions)
		// Unlike Rasa, log the listen the bot now does, so that the next
		// message is read as an answer and not as part of the loop.
		tn.update(event.Event{Type: event.Action, Name: action.Listen})
	}
	return nil
}

// predict returns the followup action if one is pending, else the
// ensemble's prediction.
func (tn *turn) predict() policy.Prediction {
	if f := tn.t.Followup(); f != "" {
		tn.t.ClearFollowup()
		return policy.Prediction{Action: f, Policy: policyFollowup, Confidence: 1}
	}
	if tn.a.opts.Policies == nil {
		return policy.Prediction{Action: action.Listen}
	}
	return tn.a.opts.Policies.Predict(tn.t)
}

// run runs a predicted action and logs it with its events. It reports
// whether another action should be predicted.
func (tn *turn) run(ctx context.Context, p policy.Prediction) (bool, error) {
	name := policy.NormalizeActionName(p.Action)
	more := name != action.Listen && name != action.SessionStart
	evs, err := action.Resolve(name, tn.a.opts.Domain).Run(ctx, tn.act)
	switch {
	case errors.Is(err, action.ErrRejected):
		tn.a.log.Debug("action rejected its execution", "conversation", tn.t.SenderID,
			"action", name, "reason", err)
		tn.update(event.Event{Type: event.ActionRejected, Name: name, Policy: p.Policy,
			Confidence: event.Confidence(p.Confidence)})
		return more, nil
	case err != nil && ctx.Err() != nil:
		return false, ctx.Err()
	case err != nil:
		tn.fail(ctx, p, name, err)
		return false, nil
	}
	if !rejectsItself(evs) {
		tn.update(p.Events...)
		tn.update(event.Event{Type: event.Action, Name: name, Policy: p.Policy,
			Confidence: confidence(p), HideRuleTurn: p.HideRuleTurn})
	}
	tn.update(evs...)
	return more, nil
}

// confidence is the confidence to record; none for an action no policy
// chose (session start).
func confidence(p policy.Prediction) *float64 {
	if p.Policy == "" && p.Confidence == 0 {
		return nil
	}
	return event.Confidence(p.Confidence)
}

func rejectsItself(evs []event.Event) bool {
	for _, e := range evs {
		if e.Type == event.ActionRejected {
			return true
		}
	}
	return false
}

// fail records a failed action. As in Rasa the action is logged and its
// events are lost; unlike Rasa the user is told that something went wrong
// and the bot listens, rather than predicting on from a state the action
// did not make. A failed form also gives back the slots extracted from the
// message, which it could not validate.
func (tn *turn) fail(ctx context.Context, p policy.Prediction, name string, err error) {
	tn.logFailure(name, err)
	tn.update(p.Events...)
	tn.update(event.Event{Type: event.Action, Name: name, Policy: p.Policy,
		Confidence: confidence(p), HideRuleTurn: p.HideRuleTurn})
	if _, isForm := tn.a.opts.Domain.Form(name); isForm {
		tn.update(action.RevertCandidates(tn.t)...)
	}
	tn.update(action.FailureReply(ctx, tn.act, name)...)
	if name != action.Listen {
		tn.update(event.Event{Type: event.Action, Name: action.Listen})
	}
}

// logFailure logs a failed action, unless the Runner has logged it.
func (tn *turn) logFailure(name string, err error) {
	if errors.Is(err, action.ErrRunnerFailed) {
		tn.a.log.Debug("action failed; the conversation goes on without its events",
			"conversation", tn.t.SenderID, "action", name, "error", err)
		return
	}
	tn.a.log.Error("action failed; the conversation goes on without its events",
		"conversation", tn.t.SenderID, "action", name, "error", err)
}
