// Package storytest evaluates test stories against a trained model, as
// `rasa test core` does, and writes Rasa's report files.
package storytest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/policy"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/tracker"
)

// DefaultMaxPredictions is how many actions may follow one user message
// before a story fails, as the agent's limit.
const DefaultMaxPredictions = 10

// Parser understands a user message; *pipeline.Model is the usual one.
type Parser interface {
	Parse(text string) nlu.Parse
}

// Input is what an evaluation needs.
type Input struct {
	Domain   *domain.Domain
	NLU      *pipeline.Model
	Policies *policy.Ensemble
	Stories  []project.Story
	// Parser, when set, is used instead of NLU.
	Parser Parser
	// MaxPredictions is the per-message action limit (default 10).
	MaxPredictions int
	// Time is when every test message counts as sent, the reference of
	// relative times ("tomorrow"); the zero time means the time of the run.
	// A fixed one makes stories with dates reproducible.
	Time time.Time
	// Zone is the conversation's time zone for NLU's times (nil: the one
	// configured for DucklingEntityExtractor, else UTC).
	Zone *time.Location
}

// Report is the outcome of a story evaluation.
type Report struct {
	Total  int
	Failed int
	// Stories holds one result per story, in input order.
	Stories []StoryResult
	// Actions holds every action prediction, in story order.
	Actions []ActionResult
}

// StoryResult is the evaluation of one story.
type StoryResult struct {
	Story  project.Story
	Failed bool
	// LimitReached is set when more than MaxPredictions actions followed
	// one user message.
	LimitReached bool
	// WrongActions and WrongIntents count the wrong predictions;
	// WrongEntities counts the user messages whose entities differ from
	// the story's (their intent may be right).
	WrongActions  int
	WrongIntents  int
	WrongEntities int
	// ZoneEntities counts the wrong entities whose time values differ
	// only in their UTC offset: the story was recorded in another time
	// zone (parley test --timezone).
	ZoneEntities int
	// steps are the story's steps with what was predicted for them.
	steps []stepResult
}

// ActionResult is one predicted action compared with the story's.
type ActionResult struct {
	Story      string
	Action     string
	Predicted  string
	Policy     string
	Confidence float64
}

// stepResult is a step as written back into failed_test_stories.yml.
type stepResult struct {
	step project.Step
	// implicitListen marks an action_listen the story leaves implicit.
	implicitListen bool
	// predicted is set when the prediction (action or intent) was wrong.
	predicted string
}

// Run replays each story and compares predicted actions with the story's.
// Custom actions are predicted but never run: their events are the ones
// the story lists.
func Run(ctx context.Context, in Input) (*Report, error) {
	if in.Policies == nil {
		return nil, fmt.Errorf("%w: no dialogue policies", ErrInput)
	}
	if in.Domain == nil {
		in.Domain = &domain.Domain{}
	}
	if in.MaxPredictions <= 0 {
		in.MaxPredictions = DefaultMaxPredictions
	}
	r := &Report{}
	for _, st := range in.Stories {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res := in.replay(ctx, st, r)
		r.Total++
		if res.Failed {
			r.Failed++
		}
		r.Stories = append(r.Stories, res)
	}
	return r, nil
}

// replayer walks one story.
type replayer struct {
	ctx     context.Context
	in      *Input
	t       *tracker.Tracker
	res     *StoryResult
	report  *Report
	actions int
}

func (in *Input) replay(ctx context.Context, st project.Story, r *Report) StoryResult {
	res := StoryResult{Story: st}
	rp := &replayer{ctx: ctx, in: in, t: tracker.New(st.Name, in.Domain), res: &res, report: r}
	for _, s := range st.Steps {
		rp.step(s)
	}
	if !rp.lastIsListen() {
		rp.predict(policy.ActionListen, project.Step{}, true)
	}
	return res
}

func (rp *replayer) lastIsListen() bool {
	return rp.t.HasLatestAction() && rp.t.LatestActionName() == policy.ActionListen
}

func (rp *replayer) step(s project.Step) {
	switch s.Kind {
	case project.StepIntent:
		rp.user(s)
	case project.StepOr:
		if len(s.Or) > 0 {
			rp.step(s.Or[0])
		}
	case project.StepAction:
		if len(rp.t.Events) == 0 {
			// Rasa does not evaluate a story's very first event.
			rp.res.steps = append(rp.res.steps, stepResult{step: s})
			rp.t.Update(event.Event{Type: event.Action, Name: policy.NormalizeActionName(s.Action)})
			return
		}
		rp.predict(s.Action, s, false)
	case project.StepBot:
		rp.predict(s.BotText, s, false)
	case project.StepActiveLoop:
		rp.res.steps = append(rp.res.steps, stepResult{step: s})
		rp.t.Update(event.Event{Type: event.ActiveLoop, Name: s.ActiveLoop})
	case project.StepSlotWasSet:
		rp.res.steps = append(rp.res.steps, stepResult{step: s})
		for _, sv := range s.Slots {
			v := sv.Value
			if !sv.HasValue {
				v = "filled"
			}
			rp.t.Update(event.Event{Type: event.Slot, Name: sv.Name, Value: v})
		}
	}
}

// user checks the NLU on the step's text and appends the story's user
// event (with the story's intent, right or wrong).
func (rp *replayer) user(s project.Step) {
	switch {
	case !rp.t.HasLatestAction():
		rp.t.Update(event.Event{Type: event.Action, Name: policy.ActionListen})
	case !rp.lastIsListen():
		rp.predict(policy.ActionListen, project.Step{}, true)
	}
	sr := stepResult{step: s}
	if c := rp.checkUser(s); !c.intentOK || !c.entitiesOK {
		sr.predicted = c.predicted
		rp.res.Failed = true
		if !c.intentOK {
			rp.res.WrongIntents++
		}
		if !c.entitiesOK {
			rp.res.WrongEntities++
		}
		if c.zoneOnly {
			rp.res.ZoneEntities++
		}
	}
	rp.res.steps = append(rp.res.steps, sr)
	u := policy.UserEvent(s)
	rp.t.Update(u)
	for _, e := range policy.SlotsForEntities(rp.in.Domain, u.Parse.Entities) {
		rp.t.Update(e)
	}
	rp.actions = 0
}

// userCheck is how a story's user step compares with its parse.
type userCheck struct {
	intentOK, entitiesOK bool
	// zoneOnly is set when the entities differ only in the UTC offsets of
	// their times (sameButZone).
	zoneOnly bool
	// predicted is what Rasa writes on a mismatch: "intent: text" with the
	// predicted entities annotated.
	predicted string
}

// checkUser parses the step's text and compares the intent and the
// entities with the story's, as Rasa's end-to-end evaluation does.
func (rp *replayer) checkUser(s project.Step) userCheck {
	ok := userCheck{intentOK: true, entitiesOK: true}
	if s.UserText == "" || s.Intent == "" {
		return ok
	}
	p, parsed := rp.parse(s.UserText)
	if !parsed {
		return ok
	}
	got := predictedIntent(p, s.Intent)
	c := userCheck{intentOK: got == s.Intent,
		entitiesOK: len(s.UserEntities) == 0 && len(p.Entities) == 0 ||
			sameEntities(s.UserText, s.UserEntities, p.Entities)}
	if c.intentOK && c.entitiesOK {
		return ok
	}
	c.zoneOnly = !c.entitiesOK && sameButZone(s.UserText, s.UserEntities, p.Entities)
	c.predicted = got + ": " + annotate(s.UserText, predictedAnnotations(s.UserText, p.Entities))
	return c
}

// parse runs the NLU on a story's message, at the input's reference time
// and zone.
func (rp *replayer) parse(text string) (nlu.Parse, bool) {
	switch {
	case rp.in.Parser != nil:
		return rp.in.Parser.Parse(text), true
	case rp.in.NLU != nil:
		opts := pipeline.ParseOptions{Time: rp.in.Time, Zone: rp.in.Zone}
		return rp.in.NLU.ParseContext(rp.ctx, text, opts), true
	}
	return nlu.Parse{}, false
}

// predictedIntent is the parse's intent as the story names it: the full
// retrieval intent when the story gives one.
func predictedIntent(p nlu.Parse, gold string) string {
	got := p.Intent.Name
	if p.Intent.FullRetrievalName != "" && strings.Contains(gold, "/") {
		got = p.Intent.FullRetrievalName
	} else if base, _, ok := strings.Cut(gold, "/"); ok && !strings.Contains(got, "/") {
		if got == base {
			got = gold
		}
	}
	return got
}

// predict asks the policies for the next action, compares it with gold and
// appends gold to the tracker.
func (rp *replayer) predict(gold string, s project.Step, implicit bool) {
	rp.actions++
	if rp.actions > rp.in.MaxPredictions {
		rp.res.LimitReached = true
		rp.res.Failed = true
	}
	p := rp.next()
	if loop := rp.t.ActiveLoopName(); p.Action != gold && p.Action == loop {
		// The story leaves the loop's happy path: in a live conversation
		// the form would have rejected the message. Emulate that and ask
		// the policies again, as Rasa's evaluation does.
		rp.t.Update(event.Event{Type: event.ActionRejected, Name: loop})
		p = rp.next()
	}
	predicted := rp.fullName(p.Action)
	ok := predicted == gold || policy.NormalizeActionName(predicted) == policy.NormalizeActionName(gold) &&
		!strings.Contains(gold, "/")
	rp.report.Actions = append(rp.report.Actions, ActionResult{Story: rp.res.Story.Name,
		Action: gold, Predicted: predicted, Policy: p.Policy, Confidence: p.Confidence})
	sr := stepResult{step: s, implicitListen: implicit}
	if implicit {
		sr.step = project.Step{Kind: project.StepAction, Action: policy.ActionListen}
	}
	if !ok {
		sr.predicted = predicted
		rp.res.Failed = true
		rp.res.WrongActions++
	}
	rp.res.steps = append(rp.res.steps, sr)
	e := event.Event{Type: event.Action, Name: policy.NormalizeActionName(gold), Policy: p.Policy,
		Confidence: event.Confidence(p.Confidence), HideRuleTurn: ok && p.HideRuleTurn}
	if s.Kind == project.StepBot {
		e.Name, e.ActionText = "", gold
	}
	if ok {
		rp.t.UpdateAll(p.Events)
	}
	rp.t.Update(e)
}

// next is the agent's prediction: a pending followup, else the policies.
func (rp *replayer) next() policy.Prediction {
	if f := rp.t.Followup(); f != "" && rp.t.HasLatestAction() {
		rp.t.ClearFollowup()
		return policy.Prediction{Action: f, Policy: "followup_action", Confidence: 1}
	}
	return rp.in.Policies.Predict(rp.t)
}

// fullName writes a predicted retrieval action with its response key
// (utter_faq → utter_faq/ask_hours), as Rasa compares them.
func (rp *replayer) fullName(name string) string {
	for _, prefix := range []string{"utter_", "respond_"} {
		base, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		if in, known := rp.in.Domain.Intent(base); known && in.IsRetrieval {
			if key := action.FullRetrievalName(rp.t, base); key != "" {
				return "utter_" + key
			}
		}
	}
	return name
}
