package sdk_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/parley-chat/parley/sdk"
)

// An action written as a function, run for one webhook body the way Parley
// runs Go actions in its own process.
func ExampleRegistry_Handle() {
	greet := sdk.NewAction("action_greet", func(_ context.Context, d *sdk.Dispatcher,
		t *sdk.Tracker, _ sdk.Domain) ([]sdk.Event, error) {
		name, _ := t.GetSlot("name").(string)
		d.UtterText("Hello " + name + "!")
		return []sdk.Event{sdk.SlotSet("greeted", true)}, nil
	})
	reg := sdk.NewRegistry()
	reg.MustRegister(greet)

	body := `{"next_action": "action_greet", "sender_id": "u1",
		"tracker": {"sender_id": "u1", "slots": {"name": "Ada"}}}`
	out, status := reg.Handle(context.Background(), []byte(body))
	fmt.Println(status)
	fmt.Println(string(out))
	// Output:
	// 200
	// {"events":[{"event":"slot","name":"greeted","timestamp":null,"value":true}],"responses":[{"attachment":null,"buttons":[],"custom":{},"elements":[],"image":null,"response":null,"template":null,"text":"Hello Ada!"}]}
}

// A validate_<form> action that normalises one slot, rejects bad values and
// extracts another slot from the message text.
func ExampleFormValidation() {
	form := &sdk.FormValidation{
		Form: "pizza_form",
		Validate: map[string]sdk.ValidateFunc{
			"pizza_size": func(_ context.Context, v any, d *sdk.Dispatcher, _ *sdk.Tracker,
				_ sdk.Domain) (any, error) {
				size, _ := v.(string)
				size = strings.ToLower(size)
				if size != "small" && size != "large" {
					d.UtterText("We only have small or large pizzas.")
					return nil, nil // rejected: the form asks again
				}
				return size, nil
			},
		},
		Extract: map[string]sdk.ExtractFunc{
			"pizza_type": func(_ context.Context, _ *sdk.Dispatcher, t *sdk.Tracker,
				_ sdk.Domain) (any, error) {
				if strings.Contains(t.LatestMessage().Text, "veggie") {
					return "vegetarian", nil
				}
				return nil, nil // nothing found
			},
		},
	}
	dom := sdk.Domain{"forms": map[string]any{"pizza_form": map[string]any{
		"required_slots": []any{"pizza_size", "pizza_type"}}}}
	t := sdk.NewTracker(sdk.TrackerState{
		LatestMessage: sdk.UserMessage{Text: "a LARGE veggie one"},
		Events:        []sdk.Event{sdk.SlotSet("pizza_size", "LARGE")},
	})
	events, err := form.Run(context.Background(), &sdk.Dispatcher{}, t, dom)
	fmt.Println(form.Name(), err)
	for _, e := range events {
		fmt.Println(e["name"], e["value"])
	}
	// Output:
	// validate_pizza_form <nil>
	// pizza_size large
	// pizza_type vegetarian
}
