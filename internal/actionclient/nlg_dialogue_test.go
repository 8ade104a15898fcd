package actionclient

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/sdk"
)

// nlgServer renders every response as "nlg <name> <arguments.name>", or
// fails with 500 while failing is set; it keeps the requests.
type nlgServer struct {
	failing atomic.Bool
	mu      sync.Mutex
	reqs    []map[string]any
}

func (n *nlgServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req map[string]any
	b, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(b, &req)
	n.mu.Lock()
	n.reqs = append(n.reqs, req)
	n.mu.Unlock()
	if n.failing.Load() {
		http.Error(w, "renderer down", http.StatusInternalServerError)
		return
	}
	args, _ := req["arguments"].(map[string]any)
	text := fmt.Sprintf("nlg %v", req["response"])
	if name, ok := args["name"]; ok {
		text += fmt.Sprintf(" %v", name)
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"text": text})
}

// TestNLGThroughAgent renders the responses of utter actions, forms and
// custom actions at the nlg endpoint, and the domain's when it fails.
func TestNLGThroughAgent(t *testing.T) {
	ns := &nlgServer{}
	srv := httptest.NewServer(ns)
	defer srv.Close()
	reg := sdk.NewRegistry()
	reg.MustRegister(sdk.NewAction("action_hello", func(_ context.Context, d *sdk.Dispatcher,
		_ *sdk.Tracker, _ sdk.Domain) ([]sdk.Event, error) {
		d.UtterResponse("utter_greet", map[string]any{"name": "Zed"})
		return nil, nil
	}), &sdk.FormValidation{Form: "pizza_form"})
	client := newClient(t, "", nil, Options{Local: reg})
	d := shopDomain()
	a := agent.New(agent.Options{Domain: d, Policies: shopPolicies(t, d),
		Runner: NewRunner(client), NLG: newNLG(t, srv.URL).Dialogue()})
	s := &shop{agent: a}
	if got := strings.Join(s.say(t, "n", "/greet"), "|"); got != "nlg utter_greet Zed" {
		t.Errorf("custom action's response: %q", got)
	}
	if got := strings.Join(s.say(t, "n", "/order"), "|"); got != "nlg utter_ask_pizza_size" {
		t.Errorf("form question: %q", got)
	}
	ns.failing.Store(true)
	if got := strings.Join(s.say(t, "n2", "/greet"), "|"); got != "Hello Zed!" {
		t.Errorf("fallback to the domain: %q", got)
	}
	ns.mu.Lock()
	defer ns.mu.Unlock()
	first := ns.reqs[0]
	channel, _ := first["channel"].(map[string]any)
	tracker, _ := first["tracker"].(map[string]any)
	if first["id"] != nil || channel["name"] != "rest" || tracker["sender_id"] != "n" {
		t.Errorf("request: %v", first)
	}
}
