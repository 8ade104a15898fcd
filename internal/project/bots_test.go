package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/testenv"
)

// botMigrations are migration warnings some bots must give: file and words.
var botMigrations = map[string][][2]string{
	"concertbot": {
		{"config.yml", "FallbackPolicy"},
		{"config.yml", "MappingPolicy"},
	},
	"knowledgebasebot": {
		{"domain.yml", "templates"},
		{"domain.yml", "unfeaturized"},
	},
}

func TestBotsLoad(t *testing.T) {
	bots := testenv.Shared(t, "data/bots")
	entries, err := os.ReadDir(bots)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			root := filepath.Join(bots, e.Name())
			var opts Options
			// responseselectorbot keeps its test stories in stories/.
			if _, err := os.Stat(filepath.Join(root, "stories")); err == nil {
				opts.Tests = []string{"stories"}
			}
			p, err := Load(root, opts)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			for _, d := range p.Diagnostics {
				t.Log(d)
			}
			checkBot(t, e.Name(), p)
		})
	}
}

func checkBot(t *testing.T, name string, p *Project) {
	t.Helper()
	if len(p.NLU.Examples) == 0 || len(p.Stories)+len(p.Rules) == 0 {
		t.Errorf("examples %d, stories %d, rules %d: want some", len(p.NLU.Examples),
			len(p.Stories), len(p.Rules))
	}
	for _, f := range p.Files {
		if strings.Contains(f, "_legacy_2x") {
			t.Errorf("read %s, which is kept out of the project on purpose", f)
		}
	}
	for _, want := range botMigrations[name] {
		d, ok := findDiag(p.Diagnostics, want[1], "removed in Rasa 3")
		if !ok || d.Pos.File != want[0] || d.Pos.Line == 0 || d.Severity != Warning {
			t.Errorf("want a migration warning on %s about %s, got %v", want[0], want[1], d)
		}
	}
}

func TestConcertbotMigration(t *testing.T) {
	root := testenv.Shared(t, "data/bots/concertbot")
	p, err := Load(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range p.Config.Policies {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, ","); got != "TEDPolicy,MemoizationPolicy,RulePolicy" {
		t.Errorf("policies after migration: %s", got)
	}
	if componentIndex(p.Config.Pipeline, "FallbackClassifier") < 0 {
		t.Error("FallbackPolicy did not add FallbackClassifier")
	}
}

func TestKnowledgebasebotMigration(t *testing.T) {
	root := testenv.Shared(t, "data/bots/knowledgebasebot")
	p, err := Load(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	slot, ok := p.Domain.Slot("mention")
	if !ok || slot.Type != "any" || slot.InfluenceConversation {
		t.Errorf("unfeaturized slot not migrated to any: %+v", slot)
	}
	if len(slot.Mappings) != 1 || slot.Mappings[0].Entity != "mention" {
		t.Errorf("slot mention should fill from the entity mention: %+v", slot.Mappings)
	}
	if len(p.Domain.Responses["utter_greet"]) != 2 {
		t.Errorf("templates not read as responses: %v", p.Domain.Responses)
	}
}
