package agent

import (
	"context"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/nlu/pipeline"
)

// TestRelativeTimesUseTheMessage: "tomorrow at 9" in a live turn resolves
// against the agent's clock (when the message came), in the zone the
// message's metadata names, else the configured zone, never the
// machine's.
func TestRelativeTimesUseTheMessage(t *testing.T) {
	if testing.Short() {
		t.Skip("trains an NLU model")
	}
	p := loadProject(t, map[string]string{
		"config.yml": "language: en\npipeline:\n- name: WhitespaceTokenizer\n" +
			"- name: CountVectorsFeaturizer\n- name: LogisticRegressionClassifier\n" +
			"- name: DucklingEntityExtractor\n  dimensions: [time]\n" +
			"  timezone: America/New_York\npolicies: []\n",
		"domain.yml": "intents: [book, greet]\nresponses:\n  utter_ok:\n  - text: ok\n",
		"data/nlu.yml": "nlu:\n- intent: book\n  examples: |\n    - book a table tomorrow\n" +
			"    - a table for tonight\n    - reserve for friday\n- intent: greet\n" +
			"  examples: |\n    - hello\n    - hi there\n    - good morning\n",
	})
	m, err := pipeline.Train(context.Background(), p.NLU, p.Config, pipeline.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// 2026-03-10 23:30 UTC is already the 11th in Tokyo, still the 10th in
	// New York.
	clock := &fakeClock{now: time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC)}
	a := New(Options{Domain: p.Domain, NLU: m, Clock: clock.Now})
	cases := []struct {
		id       string
		metadata map[string]any
		want     string
	}{
		{"tokyo", map[string]any{MetadataTimezone: "Asia/Tokyo"}, "2026-03-12T09:00:00.000+09:00"},
		{"configured", nil, "2026-03-11T09:00:00.000-04:00"},
		{"unknown zone", map[string]any{MetadataTimezone: "Mars/Olympus"},
			"2026-03-11T09:00:00.000-04:00"},
	}
	for _, c := range cases {
		_, err := a.HandleMessage(context.Background(), UserMessage{ConversationID: c.id,
			Text: "book a table tomorrow at 9", Metadata: c.metadata})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := a.Tracker(context.Background(), c.id)
		if err != nil {
			t.Fatal(err)
		}
		var got any
		for _, e := range tr.AppliedEvents() {
			if e.Type == event.User {
				for _, ent := range e.Parse.Entities {
					if ent.Entity == "time" {
						got = ent.Value
					}
				}
			}
		}
		if got != c.want {
			t.Errorf("%s: time entity %v, want %s", c.id, got, c.want)
		}
	}
}
