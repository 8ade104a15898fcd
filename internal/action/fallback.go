package action

import (
	"context"
	"fmt"
	"slices"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/tracker"
)

// Intents the two-stage fallback reads.
const (
	// NLUFallbackIntent is what FallbackClassifier predicts for a message it
	// is unsure about.
	NLUFallbackIntent = "nlu_fallback"
	// OutOfScopeIntent is the payload of the "No" button of the
	// affirmation question.
	OutOfScopeIntent = "out_of_scope"
)

// twoStageFallback is Rasa's action_two_stage_fallback, a loop: a message
// the NLU was unsure about (nlu_fallback) makes it ask the user to affirm
// the likeliest intent; a denial makes it ask for a rephrasing; an unsure
// rephrasing is asked about again. An affirmed or clearly understood answer
// ends the loop and replaces the unsure message (the fallback's turns are
// rewound and the answer logged again with confidence 1); two unsure
// messages in a row, or a second denial, end it with
// action_default_fallback.
type twoStageFallback struct{}

// Name implements Action.
func (twoStageFallback) Name() string { return TwoStageFallback }

// Run implements Action, in the order of Rasa's LoopAction: activate, ask
// unless done, and deactivate once done.
func (f twoStageFallback) Run(ctx context.Context, c *Context) ([]event.Event, error) {
	var events []event.Event
	if c.Tracker.ActiveLoopName() != TwoStageFallback {
		events = append(events, event.Event{Type: event.ActiveLoop, Name: TwoStageFallback})
	}
	if !fallbackDone(c.Tracker) {
		asked, err := f.ask(ctx, c, len(events) > 0)
		if err != nil {
			return nil, err
		}
		return append(events, asked...), nil
	}
	events = append(events, event.Event{Type: event.ActiveLoop})
	end, err := f.deactivate(ctx, c)
	if err != nil {
		return nil, err
	}
	return append(events, end...), nil
}

// ask asks to affirm the intent right after activation or after another
// unsure message, and to rephrase after a denial.
func (twoStageFallback) ask(ctx context.Context, c *Context,
	activated bool) ([]event.Event, error) {
	name := AskRephrase
	if activated || c.Tracker.LatestIntent() == NLUFallbackIntent {
		name = AskAffirmation
	}
	return runNamed(ctx, c, name)
}

// deactivate gives up with action_default_fallback, or rewinds the
// fallback's turns and logs the user's answer as the message it stands for.
func (twoStageFallback) deactivate(ctx context.Context, c *Context) ([]event.Event, error) {
	if gaveUp(c.Tracker) {
		return runNamed(ctx, c, DefaultFallback)
	}
	latest := c.Tracker.LatestMessage()
	if latest == nil {
		return nil, fmt.Errorf("%s: no user message to clarify", TwoStageFallback)
	}
	return []event.Event{{Type: event.Rewind}, {Type: event.Action, Name: Listen},
		clarified(*latest)}, nil
}

// runNamed runs another action as this one's step (a domain's own
// action_default_ask_affirmation, for instance, replaces the default).
func runNamed(ctx context.Context, c *Context, name string) ([]event.Event, error) {
	evs, err := Resolve(name, c.Domain).Run(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", TwoStageFallback, name, err)
	}
	return evs, nil
}

// clarified copies a user message with its intent's confidence set to 1
// and no timestamp, so that it is stamped when logged.
func clarified(msg event.Event) event.Event {
	p := nlu.Parse{}
	if msg.Parse != nil {
		p = *msg.Parse
	}
	p.Intent.Confidence = 1
	p.Entities = slices.Clone(p.Entities)
	p.IntentRanking = slices.Clone(p.IntentRanking)
	msg.Parse = &p
	msg.Timestamp = 0
	return msg
}

// fallbackDone is Rasa's is_done: the user's latest message was
// understood, or the fallback has to give up.
func fallbackDone(t *tracker.Tracker) bool {
	last := t.LatestIntent()
	return last != NLUFallbackIntent && last != OutOfScopeIntent || gaveUp(t)
}

// gaveUp reports two unsure messages in a row, or a denial of the second
// affirmation question.
func gaveUp(t *tracker.Tracker) bool {
	two := lastIntents(t, 2)
	three := lastIntents(t, 3)
	return slices.Equal(two, []string{NLUFallbackIntent, NLUFallbackIntent}) ||
		slices.Equal(three, []string{OutOfScopeIntent, NLUFallbackIntent, OutOfScopeIntent})
}

// lastIntents returns the intents of the user messages among the latest n
// user messages and rewinds since the last restart, newest first; a rewind
// takes a place in the count but adds no intent, so a fallback that ended
// separates the one before from the next.
func lastIntents(t *tracker.Tracker, n int) []string {
	events := t.EventsAfterLatestRestart()
	var out []string
	for i := len(events) - 1; i >= 0 && n > 0; i-- {
		switch e := events[i]; e.Type {
		case event.User:
			name := ""
			if e.Parse != nil {
				name = e.Parse.Intent.Name
			}
			out = append(out, name)
			n--
		case event.Rewind:
			n--
		}
	}
	return out
}
