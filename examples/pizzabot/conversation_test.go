package main

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/parley-chat/parley/examples/pizzabot/actions"
	"github.com/parley-chat/parley/internal/actionclient"
	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/sdk"
)

// say sends a message and returns the bot's replies joined with " | ".
func say(t *testing.T, a *agent.Agent, id, text string) string {
	t.Helper()
	evs, err := a.HandleMessage(context.Background(), agent.UserMessage{ConversationID: id,
		Text: text, InputChannel: "rest"})
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	var replies []string
	for _, e := range evs {
		replies = append(replies, e.Text)
	}
	return strings.Join(replies, " | ")
}

// TestConversation orders pizzas with the actions in process and over
// HTTP: the validation messages, the count read from the text, the
// delivery mode from the custom mapping, and the order confirmation with
// its followup.
func TestConversation(t *testing.T) {
	b := trainBot(t)
	for mode, client := range transports(t) {
		t.Run(mode, func(t *testing.T) {
			a := b.agent(client, nil)
			id := "order-" + strings.ReplaceAll(mode, " ", "-")
			number := actions.OrderNumber(sdk.NewTracker(sdk.TrackerState{SenderID: id}))
			steps := []struct{ say, want string }{
				{"hi", "Hi! I'm PizzaBot. Would you like to order a pizza?"},
				{"yes please", "Which pizza would you like? We bake margherita, pepperoni, " +
					"funghi and veggie."},
				{"hawaii please", `Sorry, we don't bake "hawaii". Pick margherita, pepperoni, ` +
					"funghi or veggie. | Which pizza would you like? We bake margherita, " +
					"pepperoni, funghi and veggie."},
				{"pepperoni please", "What size: small, medium or large?"},
				{"large", "How many pizzas?"},
				{"twelve", "We bake 1 to 10 pizzas per order. | How many pizzas?"},
				{"two please, for delivery", "Order " + number + " is in the oven: 2 large " +
					"pepperoni for delivery. | Anything else I can do for you?"},
				{"no thanks", "Enjoy your pizza! Bye."},
			}
			for _, st := range steps {
				if got := say(t, a, id, st.say); got != st.want {
					t.Fatalf("%q:\n got %q\nwant %q", st.say, got, st.want)
				}
			}
			tr, err := a.Tracker(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Slot("order_number") != number || tr.Slot("delivery") != "delivery" {
				t.Errorf("slots: %v", tr.Slots())
			}
		})
	}
}

// actionServer serves PizzaBot's actions until shutdown.
type actionServer struct {
	addr string
	stop context.CancelFunc
	done chan error
	once sync.Once
}

// serveActions serves the actions on addr ("127.0.0.1:0" for any port).
func serveActions(t *testing.T, addr string) *actionServer {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &actionServer{addr: ln.Addr().String(), stop: cancel, done: make(chan error, 1)}
	go func() {
		s.done <- sdk.NewServer(actions.Registry(), sdk.ServerOptions{}).ServeListener(ctx, ln)
	}()
	t.Cleanup(func() {
		if err := s.shutdown(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// shutdown stops the server and waits until it has stopped.
func (s *actionServer) shutdown() error {
	var err error
	s.once.Do(func() {
		s.stop()
		err = <-s.done
	})
	return err
}

// TestActionServerStops stops the action server in the middle of the
// form: the user is told something went wrong, the tracker shows the
// failed action, one log line per failed call names the URL, the action
// and the conversation, and once the server is back the form goes on.
func TestActionServerStops(t *testing.T) {
	b := trainBot(t)
	srv := serveActions(t, "127.0.0.1:0")
	var logs bytes.Buffer
	addr := srv.addr
	client := newClient(t, "http://"+addr+"/webhook", actionclient.Options{
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	a := b.agent(client, nil)
	if got := say(t, a, "stop", "I want a pizza"); !strings.HasPrefix(got, "Which pizza") {
		t.Fatalf("form start: %q", got)
	}
	if err := srv.shutdown(); err != nil {
		t.Fatal(err)
	}
	got := say(t, a, "stop", "pepperoni please")
	if want := "Sorry, our kitchen system is not answering right now. " +
		"Please try again in a minute."; got != want {
		t.Fatalf("with the server down: %q, want %q", got, want)
	}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		for _, key := range []string{"url=http://" + addr, "conversation=stop", "action="} {
			if !strings.Contains(line, key) {
				t.Errorf("log line lacks %s: %s", key, line)
			}
		}
	}
	if st := actionclient.StatusOf(actionclient.NewRunner(client)); st.Up {
		t.Errorf("status says the action server is up: %+v", st)
	}
	serveActions(t, addr)
	if got := say(t, a, "stop", "pepperoni please"); got != "What size: small, medium or large?" {
		t.Fatalf("after the server came back: %q", got)
	}
	if !client.State().Up {
		t.Errorf("the client still reports the server down")
	}
}
