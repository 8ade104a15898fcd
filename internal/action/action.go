package action

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"strings"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/tracker"
)

// Action is one runnable action.
type Action interface {
	// Name is the action's name as policies predict it.
	Name() string
	// Run returns the events the action produces. It does not change the
	// tracker; the caller applies the events.
	Run(ctx context.Context, c *Context) ([]event.Event, error)
}

// Runner runs custom actions, normally by calling an action server. It
// receives the tracker as it is before the action runs. Its error wraps
// ErrRejected when the action declined to run, and ErrRunnerFailed when
// it failed and the Runner logged the failure.
type Runner interface {
	Run(ctx context.Context, name string, c *Context) ([]event.Event, error)
}

// NLG renders responses with an external service (the nlg endpoint of
// endpoints.yml). kwargs fill placeholders besides the slots. On an error
// the domain's response is used instead; the NLG has logged a warning.
type NLG interface {
	Generate(ctx context.Context, c *Context, response string,
		kwargs map[string]any) (event.Event, error)
}

// Context is what an action runs with.
type Context struct {
	Tracker *tracker.Tracker
	Domain  *domain.Domain
	// Channel is the output channel's name; it selects channel-specific
	// response variations.
	Channel string
	// RNG picks among response variations.
	RNG    *rand.Rand
	Logger *slog.Logger
	// Runner runs custom actions; nil means none is configured.
	Runner Runner
	// NLG renders responses; nil renders them from the domain.
	NLG NLG
}

// with returns a copy of c that runs against another tracker.
func (c *Context) with(t *tracker.Tracker) *Context {
	cc := *c
	cc.Tracker = t
	return &cc
}

func (c *Context) log() *slog.Logger {
	if c.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.Logger
}

// Resolve returns the action for a name, in Rasa's order: a built-in action
// (unless the domain lists its own action of that name), a retrieval
// response (utter_<retrieval intent>, or Rasa 2's respond_<retrieval
// intent> even when the domain lists it), a response, a form, and otherwise
// a custom action.
func Resolve(name string, d *domain.Domain) Action {
	custom := d.HasAction(name)
	if a, ok := builtin(name); ok && !custom {
		if _, isForm := d.Form(name); !isForm {
			return a
		}
	}
	// Rasa 2 listed respond_<retrieval intent> under actions: it is still
	// the retrieval action, not a custom one.
	if intent, ok := retrievalIntent(name, d); ok && (!custom || isRespond(name)) {
		return retrieval{name: name, intent: intent}
	}
	if strings.HasPrefix(name, "utter_") {
		return Response{ActionName: name}
	}
	if f, ok := d.Form(name); ok && !custom {
		return &Form{form: f}
	}
	return Custom{ActionName: name}
}

// IsBuiltin reports whether name is one of Rasa's default actions.
func IsBuiltin(name string) bool {
	_, ok := builtin(name)
	return ok
}

// retrievalIntent returns the retrieval intent an utter_ (or the 2.x
// respond_) action answers.
func retrievalIntent(name string, d *domain.Domain) (string, bool) {
	var base string
	switch {
	case strings.HasPrefix(name, "utter_"):
		base = strings.TrimPrefix(name, "utter_")
	case strings.HasPrefix(name, "respond_"):
		base = strings.TrimPrefix(name, "respond_")
	default:
		return "", false
	}
	in, ok := d.Intent(base)
	return base, ok && in.IsRetrieval
}

func isRespond(name string) bool { return strings.HasPrefix(name, "respond_") }

// Custom is an action the action server runs.
type Custom struct{ ActionName string }

// Name implements Action.
func (a Custom) Name() string { return a.ActionName }

// Run implements Action: it calls the Runner. Without one it logs a
// warning and returns no events, so the conversation goes on.
func (a Custom) Run(ctx context.Context, c *Context) ([]event.Event, error) {
	if c.Runner == nil {
		c.log().Warn("custom action predicted but no action server is configured; "+
			"it produces no events (set action_endpoint in endpoints.yml)",
			"conversation", c.Tracker.SenderID, "action", a.ActionName)
		return nil, nil
	}
	return c.Runner.Run(ctx, a.ActionName, c)
}
