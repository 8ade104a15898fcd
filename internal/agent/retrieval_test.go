package agent

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/testenv"
)

// selectorNLU answers every question with the chitchat intent and a
// response selector that chose the sub-intent named after a word of the
// message, in the shape the NLU pipeline gives (one "default" selector).
type selectorNLU struct{}

func (selectorNLU) Parse(text string) nlu.Parse {
	key := "chitchat/ask_name"
	if strings.Contains(text, "weather") {
		key = "chitchat/ask_weather"
	}
	in := nlu.Intent{Name: "chitchat", Confidence: 0.9}
	return nlu.Parse{Text: text, Intent: in, IntentRanking: []nlu.Intent{in},
		ResponseSelector: &nlu.ResponseSelector{AllRetrievalIntents: []string{"chitchat"},
			Selectors: map[string]nlu.SelectorResponse{"default": {Response: nlu.SelectedResponse{
				Confidence: 0.8, IntentResponseKey: &key, UtterAction: "utter_" + key}}}}}
}

// TestRetrievalResponse runs responseselectorbot's rule "chitchat →
// respond_chitchat" (respond_chitchat is listed under actions:, as Rasa 2
// did) and checks that the response of the chosen sub-intent is uttered and
// named in the bot event, for the predicted action and for respond_chitchat
// run by name.
func TestRetrievalResponse(t *testing.T) {
	p, err := project.Load(testenv.Shared(t, "data/bots/responseselectorbot"), project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := store.NewMemory()
	a := New(Options{Domain: p.Domain, Policies: train(t, p), Parser: selectorNLU{}, Store: st})
	weather := []string{"Oh, it does look sunny right now in Berlin.",
		"I am not sure of the whole week but I can see the sun is out today."}
	evs := turnEvents(t, a, "rs", "how is the weather?")
	if len(evs) != 1 || !slices.Contains(weather, evs[0].Text) ||
		evs[0].Metadata["utter_action"] != "utter_chitchat/ask_weather" {
		t.Fatalf("weather question: %q %v", texts(evs), metadata(evs))
	}
	events, _ := st.Load(context.Background(), "rs")
	if got := actions(events); !slices.Contains(got, "utter_chitchat") {
		t.Fatalf("actions %v", got)
	}
	name := []string{"hello, my name is retrieval bot.", "Oh yeah, I am called the retrieval bot."}
	if _, err := a.HandleMessage(context.Background(), UserMessage{ConversationID: "rs2",
		Text: "who are you"}); err != nil {
		t.Fatal(err)
	}
	bots, _, err := a.ExecuteAction(context.Background(), "rs2", "respond_chitchat", "", "", 1)
	if err != nil || len(bots) != 1 || !slices.Contains(name, bots[0].Text) ||
		bots[0].Metadata["utter_action"] != "utter_chitchat/ask_name" {
		t.Fatalf("respond_chitchat: %q %v %v", texts(bots), metadata(bots), err)
	}
}

func metadata(evs []event.Event) []map[string]any {
	var out []map[string]any
	for _, e := range evs {
		out = append(out, e.Metadata)
	}
	return out
}
