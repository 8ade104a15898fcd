package actionclient

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/testenv"
)

// startPython starts testdata/pyactions.py and returns its webhook URL.
func startPython(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		testenv.Missing(t, "python3 is not installed; the Python action server test needs it")
	}
	cmd := exec.Command(py, filepath.Join("testdata", "pyactions.py"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	port, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("the Python action server did not print its port: %v", err)
	}
	return "http://127.0.0.1:" + strings.TrimSpace(port) + "/webhook"
}

// withTrailingSlot returns the tracker fixture with a slot event appended,
// as a form does before calling validate_<form>.
func withTrailingSlot(t *testing.T, name string, value any) json.RawMessage {
	t.Helper()
	var state map[string]any
	if err := json.Unmarshal(readTestdata(t, "tracker.json"), &state); err != nil {
		t.Fatal(err)
	}
	state["events"] = append(state["events"].([]any),
		map[string]any{"event": "slot", "timestamp": nil, "name": name, "value": value})
	b, err := json.Marshal(state)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPythonActionServer calls a custom action and a form validation on an
// action server written in Python in the Rasa SDK format.
func TestPythonActionServer(t *testing.T) {
	url := startPython(t)
	ctx := context.Background()
	for _, compress := range []bool{false, true} {
		c := newClient(t, url, func(c *Config) {
			c.Compress = compress
			c.SelectiveDomain = true
		}, Options{})
		got := callEvents(t, c, testRequest(t, "action_hello"))
		want := []event.Event{
			{Type: event.Bot, Text: "Hello from Python, Ada!", Data: &event.BotData{}},
			{Type: event.Bot, Text: "Hello Ada!", Data: &event.BotData{Buttons: []map[string]any{
				{"title": "Hi", "payload": "/greet"}}},
				Metadata: map[string]any{"utter_action": "utter_greet", "name": "Ada"}},
			{Type: event.Slot, Name: "greeted", Value: true},
			{Type: event.Slot, Name: "domain_received", Value: false},
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("compress %v: action_hello (-want +got):\n%s", compress, diff)
		}
	}
	c := newClient(t, url, func(c *Config) { c.SelectiveDomain = true }, Options{})
	checkPythonForm(t, c)
	for action, kind := range map[string]error{"action_reject": ErrRejected,
		"action_crash": ErrServer, "action_missing": ErrActionNotFound} {
		if _, err := c.Call(ctx, testRequest(t, action)); !errors.Is(err, kind) {
			t.Errorf("%s: error = %v, want %v", action, err, kind)
		}
	}
}

// checkPythonForm validates a good and a bad pizza size.
func checkPythonForm(t *testing.T, c *Client) {
	t.Helper()
	req := testRequest(t, "validate_pizza_form")
	req.Tracker = withTrailingSlot(t, "pizza_size", "LARGE")
	got := callEvents(t, c, req)
	// The fixture ends with a slot event for "name", so that slot is a
	// candidate too and comes back unchanged.
	name := event.Event{Type: event.Slot, Name: "name", Value: "Ada"}
	want := []event.Event{name, {Type: event.Slot, Name: "pizza_size", Value: "large"}}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("valid size (-want +got):\n%s", diff)
	}
	req.Tracker = withTrailingSlot(t, "pizza_size", "medium")
	got = callEvents(t, c, req)
	want = []event.Event{
		{Type: event.Bot, Text: "We only have small or large pizzas.", Data: &event.BotData{}},
		name,
		{Type: event.Slot, Name: "pizza_size", Value: nil},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("rejected size (-want +got):\n%s", diff)
	}
}

func callEvents(t *testing.T, c *Client, req Request) []event.Event {
	t.Helper()
	res, err := c.Call(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", req.NextAction, err)
	}
	events, err := res.AllEvents(context.Background(), fakeRender)
	if err != nil {
		t.Fatal(err)
	}
	return events
}

// TestPythonThroughAgent runs a conversation against the Python action
// server through the whole turn: a custom action with a domain response,
// then a form whose slot the server validates (rejecting one value,
// normalising the next).
func TestPythonThroughAgent(t *testing.T) {
	url := startPython(t)
	c := newClient(t, url, func(c *Config) { c.SelectiveDomain = true }, Options{})
	s := newShop(t, shopDomain(), NewRunner(c))
	steps := []struct{ say, want string }{
		{`/greet{"name": "Ada"}`, "Hello from Python, Ada!|Hello Ada!"},
		{"/order", "Which size?"},
		{`/inform{"pizza_size": "medium"}`, "We only have small or large pizzas.|Which size?"},
		{`/inform{"pizza_size": "LARGE"}`, "A large pizza is on its way."},
	}
	for _, st := range steps {
		if got := strings.Join(s.say(t, "py", st.say), "|"); got != st.want {
			t.Fatalf("%s: replies %q, want %q", st.say, got, st.want)
		}
	}
	tr, err := s.agent.Tracker(context.Background(), "py")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"greeted": true, "domain_received": false, "pizza_size": "large",
		"requested_slot": nil}
	for slot, v := range want {
		if got := tr.Slot(slot); got != v {
			t.Errorf("slot %s = %v, want %v", slot, got, v)
		}
	}
	if tr.ActiveLoopName() != "" {
		t.Errorf("the form is still active")
	}
}
