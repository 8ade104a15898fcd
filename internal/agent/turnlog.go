package agent

import (
	"context"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/tracker"
)

// logTurn writes the one log line of a turn: the conversation, the intent
// the message was understood as, and the actions that ran. The request id
// comes from ctx through the logger's handler.
func (a *Agent) logTurn(ctx context.Context, t *tracker.Tracker, added []event.Event) {
	var actions []string
	for _, e := range added {
		if e.Type == event.Action && e.Name != "" {
			actions = append(actions, e.Name)
		}
	}
	a.log.InfoContext(ctx, "turn", "conversation", t.SenderID, "intent", t.LatestIntent(),
		"actions", actions)
}
