package project

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parley-chat/parley/internal/domain"
)

const richDomain = `version: "3.1"
intents:
- greet
- inform:
    use_entities: [city]
- chitchat:
    use_entities: []
- deny:
    ignore_entities: [city]
entities:
- city:
    roles: [from, to]
    groups: ["1"]
    influence_conversation: false
- name
slots:
  city:
    type: text
    mappings:
    - type: from_entity
      entity: city
      role: from
      intent: [inform]
      not_intent: deny
      conditions:
      - active_loop: trip_form
        requested_slot: city
      - active_loop: null
  kind:
    type: categorical
    values: [economy, business]
    mappings: [{type: custom, action: action_kind}]
  ratio:
    type: float
    max_value: 10
    initial_value: 2.5
    mappings: [{type: from_intent, intent: greet, value: 1}]
  extra:
    type: any
    mappings: []
responses:
  utter_greet:
  - text: "Hello {name}"
    image: https://example.org/a.png
    buttons:
    - {title: Yes, payload: /affirm}
    quick_replies: [{title: No, payload: /deny}]
    channel: slack
    id: g1
    metadata: {template: jinja}
    button_type: vertical
    condition:
    - {type: slot, name: kind, value: business}
  - custom: {blocks: [1, 2]}
    attachment: {type: file}
    elements: [{title: x}]
actions:
- action_a
- action_b: {send_domain: true}
forms:
  trip_form:
    required_slots: [city]
    ignored_intents: chitchat
session_config:
  session_expiration_time: 0
  carry_over_slots_to_new_session: false
config:
  store_entities_as_slots: false
`

func TestDomainFile(t *testing.T) {
	path := filepath.Join(writeProject(t, map[string]string{"domain.yml": richDomain}), "domain.yml")
	d, diags, err := LoadDomainFile(path)
	if err != nil || len(diags) != 0 {
		t.Fatalf("err %v, diagnostics %v", err, diags)
	}
	wantIntents := []domain.Intent{
		{Name: "greet", UseAllEntities: true},
		{Name: "inform", UseEntities: []string{"city"}},
		{Name: "chitchat", UseEntities: []string{}},
		{Name: "deny", UseAllEntities: true, IgnoreEntities: []string{"city"}},
	}
	for _, name := range domain.DefaultIntents {
		wantIntents = append(wantIntents, domain.Intent{Name: name, UseAllEntities: true})
	}
	if diff := cmp.Diff(wantIntents, d.Intents); diff != "" {
		t.Errorf("intents (-want +got):\n%s", diff)
	}
	wantEntities := []domain.Entity{{Name: "city", Roles: []string{"from", "to"},
		Groups: []string{"1"}}, {Name: "name", InfluenceConversation: true}}
	if diff := cmp.Diff(wantEntities, d.Entities); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	checkDomainSlots(t, d)
	checkDomainRest(t, d)
}

func checkDomainSlots(t *testing.T, d *domain.Domain) {
	t.Helper()
	want := []domain.Slot{
		{Name: "city", Type: "text", InfluenceConversation: true, MaxValue: 1,
			Mappings: []domain.SlotMapping{{Type: "from_entity", Entity: "city", Role: "from",
				Intent: []string{"inform"}, NotIntent: []string{"deny"},
				Conditions: []domain.MappingCondition{
					{ActiveLoop: "trip_form", RequestedSlot: "city"}, {ActiveLoopNull: true}}}}},
		{Name: "kind", Type: "categorical", InfluenceConversation: true, MaxValue: 1,
			Values:   []string{"economy", "business", domain.OtherCategory},
			Mappings: []domain.SlotMapping{{Type: "custom", Action: "action_kind"}}},
		{Name: "ratio", Type: "float", InfluenceConversation: true, MaxValue: 10,
			InitialValue: 2.5, Mappings: []domain.SlotMapping{
				{Type: "from_intent", Intent: []string{"greet"}, Value: 1}}},
		{Name: "extra", Type: "any", MaxValue: 1, Mappings: []domain.SlotMapping{}},
	}
	if diff := cmp.Diff(want, d.Slots); diff != "" {
		t.Errorf("slots (-want +got):\n%s", diff)
	}
}

func checkDomainRest(t *testing.T, d *domain.Domain) {
	t.Helper()
	want := []domain.Response{
		{Text: "Hello {name}", Image: "https://example.org/a.png",
			Buttons:      []domain.Button{{Title: "Yes", Payload: "/affirm"}},
			QuickReplies: []domain.Button{{Title: "No", Payload: "/deny"}},
			Channel:      "slack", ID: "g1", Metadata: map[string]any{"template": "jinja"},
			ButtonType: "vertical",
			Condition:  []domain.ResponseCondition{{Type: "slot", Name: "kind", Value: "business"}}},
		{Custom: map[string]any{"blocks": []any{1, 2}}, Attachment: map[string]any{"type": "file"},
			Elements: []any{map[string]any{"title": "x"}}},
	}
	if diff := cmp.Diff(want, d.Responses["utter_greet"]); diff != "" {
		t.Errorf("responses (-want +got):\n%s", diff)
	}
	wantActions := []domain.Action{{Name: "action_a"}, {Name: "action_b", SendDomain: true}}
	if diff := cmp.Diff(wantActions, d.Actions); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
	wantForms := []domain.Form{{Name: "trip_form", RequiredSlots: []string{"city"},
		IgnoredIntents: []string{"chitchat"}}}
	if diff := cmp.Diff(wantForms, d.Forms); diff != "" {
		t.Errorf("forms (-want +got):\n%s", diff)
	}
	if d.Session != (domain.SessionConfig{}) || d.StoreEntitiesAsSlots || d.Version != "3.1" {
		t.Errorf("session %+v, store_entities_as_slots %v, version %q",
			d.Session, d.StoreEntitiesAsSlots, d.Version)
	}
}

func TestDomainDefaults(t *testing.T) {
	path := filepath.Join(writeProject(t, map[string]string{"domain.yml": "intents: [greet]\n"}),
		"domain.yml")
	d, _, err := LoadDomainFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if d.Session != domain.DefaultSessionConfig || !d.StoreEntitiesAsSlots {
		t.Errorf("defaults: %+v %v", d.Session, d.StoreEntitiesAsSlots)
	}
}

func TestDomainFolderMerge(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"domain/intents.yml": "version: \"3.1\"\nintents: [greet, bye]\nentities: [name]\n",
		"domain/responses.yaml": "intents: [greet]\nresponses:\n  utter_greet:\n  - text: hi\n" +
			"session_config:\n  session_expiration_time: 5\n",
		"domain/slots/slots.yml": "slots:\n  name:\n    type: text\n    mappings:\n" +
			"    - {type: from_entity, entity: name}\n",
	})
	got, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := got.Domain
	if len(d.Intents) != 2+len(domain.DefaultIntents) || d.Responses["utter_greet"] == nil ||
		len(d.Slots) != 1 || d.Session.ExpirationMinutes != 5 {
		t.Errorf("merged domain wrong: %+v", d)
	}
	if got.DomainPos.Slots["name"].File != "domain/slots/slots.yml" {
		t.Errorf("slot position %v", got.DomainPos.Slots["name"])
	}
	if len(got.Files) != 3 {
		t.Errorf("files %v", got.Files)
	}
}

func TestLegacyDomainMigrations(t *testing.T) {
	p := loadFiles(t, map[string]string{"domain.yml": `intents:
- greet:
    triggers: utter_greet
entities: [cuisine]
slots:
  cuisine:
    type: unfeaturized
  people:
    type: text
forms:
  restaurant_form:
    people:
    - type: from_text
templates:
  utter_greet:
  - hello
`})
	for _, words := range [][]string{{"triggers"}, {"unfeaturized"}, {"slot mappings inside a form"},
		{"templates"}, {"bare text"}, {"slots without mappings (cuisine)"}} {
		if d, ok := findDiag(p.Diagnostics, words...); !ok || d.Pos.Line == 0 {
			t.Errorf("no migration warning with %q: %v", words, p.Diagnostics)
		}
	}
	if len(p.Rules) != 1 || p.Rules[0].Steps[1].Action != "utter_greet" {
		t.Errorf("trigger not turned into a rule: %+v", p.Rules)
	}
	people, _ := p.Domain.Slot("people")
	if len(people.Mappings) != 1 || people.Mappings[0].Conditions[0].ActiveLoop != "restaurant_form" {
		t.Errorf("form mapping not moved to the slot: %+v", people)
	}
	cuisine, _ := p.Domain.Slot("cuisine")
	if cuisine.Type != "any" || len(cuisine.Mappings) != 1 {
		t.Errorf("cuisine: %+v", cuisine)
	}
	if p.Domain.Responses["utter_greet"][0].Text != "hello" {
		t.Errorf("bare template not read: %+v", p.Domain.Responses)
	}
}

// FuzzDomainReader feeds arbitrary bytes to the domain, config, endpoints
// and credentials readers: none may panic, and every diagnostic names the
// file.
func FuzzDomainReader(f *testing.F) {
	f.Add([]byte(richDomain))
	f.Add([]byte("templates:\n  utter_a:\n  - hi\nforms:\n- f\nslots:\n  s: {type: unfeaturized}\n"))
	f.Add([]byte("pipeline: supervised\npolicies:\n- name: FallbackPolicy\n"))
	f.Add([]byte("rest:\nslack: {token: \"${X}\"}\naction_endpoint: {url: a}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var diags Diagnostics
		s := newSource("domain.yml", data, &diags)
		top := parseYAML(s, data)
		mergeDomains([]*domainFile{readDomain(s, top)})
		readConfig(s, top)
		env := func(string) (string, bool) { return "", false }
		readEndpoints(s, top, env)
		readCredentials(s, top, env)
		for _, d := range diags {
			if d.Pos.File != "domain.yml" {
				t.Fatalf("diagnostic without the file name: %v", d)
			}
		}
	})
}
