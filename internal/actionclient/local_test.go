package actionclient

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/sdk"
)

// goActions registers the Go actions both transports run.
func goActions(t *testing.T) *sdk.Registry {
	t.Helper()
	reg := sdk.NewRegistry()
	hello := sdk.NewAction("action_hello", func(_ context.Context, d *sdk.Dispatcher,
		tr *sdk.Tracker, dom sdk.Domain) ([]sdk.Event, error) {
		name, _ := tr.GetSlot("name").(string)
		d.UtterResponse("utter_greet", map[string]any{"name": name})
		d.UtterText("domain sent: " + map[bool]string{true: "yes", false: "no"}[dom != nil])
		return []sdk.Event{sdk.SlotSet("greeted", true), sdk.FollowupAction("action_listen")}, nil
	})
	fail := sdk.NewAction("action_fail", func(context.Context, *sdk.Dispatcher, *sdk.Tracker,
		sdk.Domain) ([]sdk.Event, error) {
		return nil, errors.New("database down")
	})
	reject := sdk.NewAction("action_reject", func(context.Context, *sdk.Dispatcher,
		*sdk.Tracker, sdk.Domain) ([]sdk.Event, error) {
		return nil, sdk.Reject("not in this state")
	})
	reg.MustRegister(hello, fail, reject)
	return reg
}

// TestInProcessMatchesHTTP runs the same Go actions in process and through
// sdk.Server over HTTP, and expects the same events and the same errors.
func TestInProcessMatchesHTTP(t *testing.T) {
	reg := goActions(t)
	srv := httptest.NewServer(sdk.NewServer(reg, sdk.ServerOptions{}))
	defer srv.Close()
	local := newClient(t, "", nil, Options{Local: reg})
	remote := newClient(t, srv.URL+"/webhook", nil, Options{})
	if !local.RunsLocally("action_hello") || remote.RunsLocally("action_hello") {
		t.Fatal("RunsLocally is wrong")
	}
	ctx := context.Background()
	wantHello := []event.Event{
		{Type: event.Bot, Text: "Hello Ada!", Data: &event.BotData{Buttons: []map[string]any{
			{"title": "Hi", "payload": "/greet"}}},
			Metadata: map[string]any{"utter_action": "utter_greet", "name": "Ada"}},
		{Type: event.Bot, Text: "domain sent: yes", Data: &event.BotData{}},
		{Type: event.Slot, Name: "greeted", Value: true},
		{Type: event.Followup, Name: "action_listen"},
	}
	for name, c := range map[string]*Client{"in process": local, "http": remote} {
		res, err := c.Call(ctx, testRequest(t, "action_hello"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := res.AllEvents(ctx, fakeRender)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantHello, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: events (-want +got):\n%s", name, diff)
		}
		for action, kind := range map[string]error{"action_fail": ErrServer,
			"action_reject": ErrRejected} {
			_, err := c.Call(ctx, testRequest(t, action))
			if !errors.Is(err, kind) {
				t.Errorf("%s %s: error = %v, want %v", name, action, err, kind)
			}
		}
	}
	_, err := remote.Call(ctx, testRequest(t, "action_unknown"))
	if !errors.Is(err, ErrActionNotFound) {
		t.Errorf("unknown action over HTTP: error = %v", err)
	}
	_, err = local.Call(ctx, testRequest(t, "action_unknown"))
	if !errors.Is(err, ErrNoEndpoint) {
		t.Errorf("unknown action without endpoint: error = %v", err)
	}
}

// TestDeflateToSDKServer sends a compressed call to the Go SDK server.
func TestDeflateToSDKServer(t *testing.T) {
	srv := httptest.NewServer(sdk.NewServer(goActions(t), sdk.ServerOptions{}))
	defer srv.Close()
	c := newClient(t, srv.URL+"/webhook", func(c *Config) { c.Compress = true }, Options{})
	res, err := c.Call(context.Background(), testRequest(t, "action_hello"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Events) != 2 || res.Events[0].Name != "greeted" {
		t.Errorf("events = %+v", res.Events)
	}
}

// TestInProcessTimeoutAndPanic: an action run in process has the
// endpoint's timeout, as over HTTP, and a panic is logged with its stack
// and a hint that does not send the reader to an action server's log.
func TestInProcessTimeoutAndPanic(t *testing.T) {
	reg := sdk.NewRegistry()
	release := make(chan struct{})
	defer close(release)
	reg.MustRegister(sdk.NewAction("action_slow", func(ctx context.Context, _ *sdk.Dispatcher,
		_ *sdk.Tracker, _ sdk.Domain) ([]sdk.Event, error) {
		select {
		case <-release:
		case <-ctx.Done():
		case <-time.After(5 * time.Second): // without a timeout the call ends here
		}
		return nil, nil
	}), sdk.NewAction("action_crash", func(context.Context, *sdk.Dispatcher, *sdk.Tracker,
		sdk.Domain) ([]sdk.Event, error) {
		panic("the oven caught fire")
	}))
	var logs bytes.Buffer
	c := newClient(t, "", func(cfg *Config) { cfg.Timeout = 100 * time.Millisecond },
		Options{Local: reg, Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	start := time.Now()
	_, err := c.Call(context.Background(), testRequest(t, "action_slow"))
	if took := time.Since(start); !errors.Is(err, ErrTimeout) || took > 2*time.Second {
		t.Errorf("slow action: error %v after %v, want ErrTimeout after about 100ms", err, took)
	}
	if strings.Contains(err.Error(), "action server") {
		t.Errorf("slow action: the error speaks of an action server: %v", err)
	}

	_, err = c.Call(context.Background(), testRequest(t, "action_crash"))
	if !errors.Is(err, ErrServer) {
		t.Fatalf("crash: error = %v, want ErrServer", err)
	}
	if msg := err.Error(); strings.Contains(msg, "action server") ||
		!strings.Contains(msg, "runs in this process") {
		t.Errorf("crash: the error speaks of an action server: %s", msg)
	}
	if !strings.Contains(logs.String(), "stack=") || !strings.Contains(logs.String(), "local_test.go") {
		t.Errorf("the log of the panic has no stack naming the action's code:\n%s", logs.String())
	}
}
