package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/parley-chat/parley/examples/pizzabot/actions"
	"github.com/parley-chat/parley/internal/actionclient"
	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/policy"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/storytest"
	"github.com/parley-chat/parley/sdk"
)

// These tests train PizzaBot from this folder (a fraction of a second) and
// run it with its Go actions, in process and over HTTP.

// bot is the trained project.
type bot struct {
	project  *project.Project
	nlu      *pipeline.Model
	policies *policy.Ensemble
}

func trainBot(t *testing.T) *bot {
	t.Helper()
	p, err := project.Load(".", project.Options{})
	if err != nil {
		t.Fatalf("loading the project: %v", err)
	}
	ctx := context.Background()
	nluModel, err := pipeline.Train(ctx, p.NLU, p.Config,
		pipeline.TrainOptions{Responses: p.Domain.Responses})
	if err != nil {
		t.Fatalf("training the NLU: %v", err)
	}
	ens, err := policy.Train(ctx, p, policy.TrainOptions{})
	if err != nil {
		t.Fatalf("training the policies: %v", err)
	}
	return &bot{project: p, nlu: nluModel, policies: ens}
}

// agent returns an agent running the custom actions with client.
func (b *bot) agent(client *actionclient.Client, log *slog.Logger) *agent.Agent {
	return agent.New(agent.Options{Domain: b.project.Domain, NLU: b.nlu,
		Policies: b.policies, Runner: actionclient.NewRunner(client), Logger: log})
}

// newClient returns a client for the action endpoint url ("" for none).
func newClient(t *testing.T, url string, opts actionclient.Options) *actionclient.Client {
	t.Helper()
	cfg, err := actionclient.ParseConfig(map[string]any{"url": url, "timeout": 5})
	if err == nil && url == "" {
		cfg, err = actionclient.ParseConfig(nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	opts.InContainer = func() bool { return false }
	c, err := actionclient.New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// transports returns a client running the actions in process and one
// calling them over HTTP on an sdk.Server.
func transports(t *testing.T) map[string]*actionclient.Client {
	t.Helper()
	srv := httptest.NewServer(sdk.NewServer(actions.Registry(), sdk.ServerOptions{}))
	t.Cleanup(srv.Close)
	return map[string]*actionclient.Client{
		"in process": newClient(t, "", actionclient.Options{Local: actions.Registry()}),
		"http":       newClient(t, srv.URL+"/webhook", actionclient.Options{}),
	}
}

// TestStories is `parley test` for the test stories: the policies predict
// every action (custom actions are not run).
func TestStories(t *testing.T) {
	b := trainBot(t)
	r, err := storytest.Run(context.Background(), storytest.Input{Domain: b.project.Domain,
		NLU: b.nlu, Policies: b.policies, Stories: b.project.TestStories})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 4 || r.Failed != 0 {
		t.Fatalf("%d of %d stories failed:\n%s", r.Failed, r.Total, r.FailedStoriesYAML())
	}
}

// TestStoriesWithActions replays each test story as a real conversation:
// the user's texts go through the NLU, the actions run (in process, then
// over HTTP), and each turn must run the story's actions and leave its
// slots and active loop.
func TestStoriesWithActions(t *testing.T) {
	b := trainBot(t)
	for mode, client := range transports(t) {
		a := b.agent(client, nil)
		for _, st := range b.project.TestStories {
			t.Run(mode+"/"+st.Name, func(t *testing.T) { replay(t, a, st) })
		}
	}
}

// expectedTurn is what one user message of a story must lead to.
type expectedTurn struct {
	text    string
	actions []string
	slots   map[string]any
	loop    *string
}

// turns splits a story at its user messages.
func turns(st project.Story) []expectedTurn {
	var out []expectedTurn
	for _, s := range st.Steps {
		if s.Kind == project.StepIntent {
			out = append(out, expectedTurn{text: s.UserText, slots: map[string]any{}})
			continue
		}
		if len(out) == 0 {
			continue
		}
		cur := &out[len(out)-1]
		switch s.Kind {
		case project.StepAction:
			cur.actions = append(cur.actions, s.Action)
		case project.StepSlotWasSet:
			for _, sv := range s.Slots {
				if sv.HasValue {
					cur.slots[sv.Name] = sv.Value
				}
			}
		case project.StepActiveLoop:
			loop := s.ActiveLoop
			cur.loop = &loop
		}
	}
	return out
}

// replay sends the story's messages and checks each turn.
func replay(t *testing.T, a *agent.Agent, st project.Story) {
	ctx := context.Background()
	id := strings.ReplaceAll(st.Name, " ", "-")
	for _, want := range turns(st) {
		if _, err := a.HandleMessage(ctx, agent.UserMessage{ConversationID: id,
			Text: want.text, InputChannel: "rest"}); err != nil {
			t.Fatal(err)
		}
		tr, err := a.Tracker(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := actionsSinceUser(tr.Events); !slices.Equal(got, want.actions) {
			t.Errorf("%q: actions %v, want %v", want.text, got, want.actions)
		}
		for name, v := range want.slots {
			if got := tr.Slot(name); fmt.Sprint(got) != fmt.Sprint(v) {
				t.Errorf("%q: slot %s = %v, want %v", want.text, name, got, v)
			}
		}
		if want.loop != nil && tr.ActiveLoopName() != *want.loop {
			t.Errorf("%q: active loop %q, want %q", want.text, tr.ActiveLoopName(), *want.loop)
		}
	}
}

// actionsSinceUser lists the actions run after the latest user message,
// without action_listen.
func actionsSinceUser(events []event.Event) []string {
	var out []string
	for _, e := range events {
		switch {
		case e.Type == event.User:
			out = nil
		case e.Type == event.Action && e.Name != "action_listen":
			out = append(out, e.Name)
		}
	}
	return out
}
