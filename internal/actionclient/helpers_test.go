package actionclient

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/parley-chat/parley/internal/domain"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testDomain is a small pizza bot with every part of a domain that
// Domain.as_dict writes.
func testDomain() *domain.Domain {
	d := &domain.Domain{
		Version: "3.1",
		Intents: []domain.Intent{
			{Name: "greet", UseAllEntities: true},
			{Name: "inform", UseEntities: []string{"pizza_size"}},
			{Name: "goodbye", UseAllEntities: true, IgnoreEntities: []string{"name"}},
			{Name: "faq", UseAllEntities: true, IsRetrieval: true},
		},
		Entities: []domain.Entity{
			{Name: "name", InfluenceConversation: true},
			{Name: "pizza_size", InfluenceConversation: true},
			{Name: "city", Roles: []string{"from", "to"}, InfluenceConversation: true},
		},
		Slots: []domain.Slot{
			{Name: "name", Type: domain.SlotText, InfluenceConversation: true,
				Mappings: []domain.SlotMapping{{Type: domain.MapFromEntity, Entity: "name"}}},
			{Name: "pizza_size", Type: domain.SlotCategorical, InfluenceConversation: true,
				Values: []string{"small", "large", domain.OtherCategory},
				Mappings: []domain.SlotMapping{{Type: domain.MapFromEntity, Entity: "pizza_size",
					Conditions: []domain.MappingCondition{
						{ActiveLoop: "pizza_form", RequestedSlot: "pizza_size"}}}}},
			{Name: "confirmed", Type: domain.SlotBool, InitialValue: false,
				Mappings: []domain.SlotMapping{{Type: domain.MapFromIntent,
					Intent: []string{"affirm"}, Value: true}}},
			{Name: "ratio", Type: domain.SlotFloat, InfluenceConversation: true, MaxValue: 1,
				Mappings: []domain.SlotMapping{{Type: domain.MapCustom, Action: "action_ratio"}}},
			{Name: domain.RequestedSlot, Type: domain.SlotText},
		},
		Responses: map[string][]domain.Response{
			"utter_greet": {{Text: "Hello {name}!",
				Buttons: []domain.Button{{Title: "Hi", Payload: "/greet"}}}},
			"utter_ask_pizza_size": {{Text: "Which size?"}, {Text: "Size?", Channel: "slack"}},
		},
		Actions: []domain.Action{{Name: "action_hello"},
			{Name: "action_with_domain", SendDomain: true}, {Name: "validate_pizza_form"}},
		Forms:                []domain.Form{{Name: "pizza_form", RequiredSlots: []string{"pizza_size"}}},
		Session:              domain.DefaultSessionConfig,
		StoreEntitiesAsSlots: true,
		ActionTexts:          []string{"Hi there!"},
	}
	for _, name := range domain.DefaultIntents {
		d.Intents = append(d.Intents, domain.Intent{Name: name, UseAllEntities: true})
	}
	return d
}

// domainJSON returns the as_dict JSON of testDomain.
func domainJSON(t *testing.T) json.RawMessage {
	t.Helper()
	b, err := testDomain().AsDictJSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readTestdata returns a file of testdata/.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fakeRender renders testDomain's responses: the first variation, with
// {placeholders} filled from kwargs.
func fakeRender(_ context.Context, name string, kwargs map[string]any) (map[string]any, error) {
	vs := testDomain().Responses[name]
	if len(vs) == 0 {
		return nil, nil
	}
	text := vs[0].Text
	for k, v := range kwargs {
		if s, ok := v.(string); ok {
			text = strings.ReplaceAll(text, "{"+k+"}", s)
		}
	}
	out := map[string]any{"text": text}
	if len(vs[0].Buttons) > 0 {
		var buttons []any
		for _, b := range vs[0].Buttons {
			buttons = append(buttons, map[string]any{"title": b.Title, "payload": b.Payload})
		}
		out["buttons"] = buttons
	}
	return out, nil
}

// newClient returns a client for url with a short timeout and no hint
// detection.
func newClient(t *testing.T, url string, edit func(*Config), opts Options) *Client {
	t.Helper()
	cfg, err := ParseConfig(map[string]any{"url": url, "timeout": 5})
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&cfg)
	}
	if opts.InContainer == nil {
		opts.InContainer = func() bool { return false }
	}
	c, err := New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testRequest is a call of action with the tracker fixture and the domain.
func testRequest(t *testing.T, action string) Request {
	return Request{NextAction: action, SenderID: "u1",
		Tracker: readTestdata(t, "tracker.json"), Domain: domainJSON(t)}
}

// countingTransport counts round trips.
type countingTransport struct {
	n    atomic.Int32
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// indent returns JSON indented for golden files.
func indent(t *testing.T, b []byte) string {
	t.Helper()
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return out.String()
}

// checkGolden compares sections (name → text) with testdata/<file>, where
// each section starts with a line "=== name". With -update it rewrites the
// file.
func checkGolden(t *testing.T, file string, names []string, got map[string]string) {
	t.Helper()
	path := filepath.Join("testdata", file)
	if *update {
		var b strings.Builder
		for _, n := range names {
			b.WriteString("=== " + n + "\n" + got[n] + "\n")
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	want := map[string]string{}
	for _, sec := range strings.Split(string(raw), "=== ")[1:] {
		name, body, _ := strings.Cut(sec, "\n")
		want[name] = strings.TrimSuffix(body, "\n")
	}
	for _, n := range names {
		if got[n] != want[n] {
			t.Errorf("%s: section %q differs from the golden file (go test -update "+
				"rewrites it)\ngot:\n%s\nwant:\n%s", file, n, got[n], want[n])
		}
	}
}
