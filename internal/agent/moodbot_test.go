package agent

import (
	"context"
	"slices"
	"testing"

	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/testenv"
)

// TestMoodbotWithRealPipeline loads moodbot from the shared data, trains
// the NLU pipeline and the policies, and talks to it.
func TestMoodbotWithRealPipeline(t *testing.T) {
	dir := testenv.Shared(t, "data/bots/moodbot")
	p, err := project.Load(dir, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if testing.Short() {
		t.Skip("trains an NLU model")
	}
	nluModel, err := pipeline.Train(context.Background(), p.NLU, p.Config,
		pipeline.TrainOptions{Responses: p.Domain.Responses})
	if err != nil {
		t.Fatal(err)
	}
	a := New(Options{Domain: p.Domain, NLU: nluModel, Policies: train(t, p)})
	if got := say(t, a, "m", "hello"); !slices.Equal(got, []string{"Hey! How are you?"}) {
		t.Fatalf("hello: %q", got)
	}
	want := []string{"Here is something to cheer you up:", "Did that help you?"}
	if got := say(t, a, "m", "I am sad"); !slices.Equal(got, want) {
		t.Fatalf("I am sad: %q (intent %v)", got, a.Parse("I am sad").Intent)
	}
	if got := say(t, a, "m", "/mood_great"); !slices.Equal(got, []string{"Great, carry on!"}) {
		t.Fatalf("/mood_great: %q", got)
	}
}
