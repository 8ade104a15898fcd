// Package actions holds PizzaBot's custom actions, written with Parley's Go
// SDK (package sdk). They call nothing outside the process, so the bot runs
// anywhere:
//
//   - validate_pizza_form checks the pizza, the size and the count the
//     user gives the form, and reads the count from the message text;
//   - action_detect_delivery is a custom slot mapping: after every
//     message it sets the delivery slot when the user says how the pizza
//     should reach them;
//   - action_place_order sets the order number, confirms the order with a
//     domain response and follows up with utter_anything_else.
package actions

import (
	"context"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/parley-chat/parley/sdk"
)

// Register adds PizzaBot's actions to reg.
func Register(reg *sdk.Registry) error {
	return reg.Register(PizzaForm(), DetectDelivery{}, PlaceOrder{})
}

// Registry returns a new registry holding PizzaBot's actions.
func Registry() *sdk.Registry {
	reg := sdk.NewRegistry()
	reg.MustRegister(PizzaForm(), DetectDelivery{}, PlaceOrder{})
	return reg
}

// DetectDelivery is action_detect_delivery, the action of the delivery
// slot's custom mapping. It sets "delivery" or "pickup" when the latest
// message says which, and nothing otherwise.
type DetectDelivery struct{}

// Name returns the action's name.
func (DetectDelivery) Name() string { return "action_detect_delivery" }

// Run reads the latest message.
func (DetectDelivery) Run(_ context.Context, _ *sdk.Dispatcher, t *sdk.Tracker,
	_ sdk.Domain) ([]sdk.Event, error) {
	mode := deliveryMode(t.LatestMessage().Text)
	if mode == "" || t.GetSlot("delivery") == mode {
		return nil, nil
	}
	return []sdk.Event{sdk.SlotSet("delivery", mode)}, nil
}

// deliveryMode finds "delivery" or "pickup" in a message, or "".
func deliveryMode(text string) string {
	text = strings.ToLower(text)
	for _, w := range []string{"pick it up", "pick up", "pickup", "collect", "take away"} {
		if strings.Contains(text, w) {
			return "pickup"
		}
	}
	if strings.Contains(text, "deliver") || strings.Contains(text, "bring it") {
		return "delivery"
	}
	return ""
}

// PlaceOrder is action_place_order. It declines to run (a rejection) when
// the form left a slot empty; otherwise it sets order_number, confirms the
// order and has the bot ask utter_anything_else next (FollowupAction).
type PlaceOrder struct{}

// Name returns the action's name.
func (PlaceOrder) Name() string { return "action_place_order" }

// Run places the order.
func (PlaceOrder) Run(_ context.Context, d *sdk.Dispatcher, t *sdk.Tracker,
	_ sdk.Domain) ([]sdk.Event, error) {
	pizza, _ := t.GetSlot("pizza_type").(string)
	size, _ := t.GetSlot("pizza_size").(string)
	count, _ := t.GetSlot("pizza_count").(float64)
	if pizza == "" || size == "" || count == 0 {
		return nil, sdk.Reject("the order is not complete")
	}
	mode, _ := t.GetSlot("delivery").(string)
	if mode == "" {
		mode = "pickup"
	}
	number := OrderNumber(t)
	d.UtterResponse("utter_order_placed", map[string]any{"number": number,
		"count": strconv.Itoa(int(count)), "mode": mode})
	return []sdk.Event{
		sdk.SlotSet("order_number", number),
		sdk.FollowupAction("utter_anything_else"),
	}, nil
}

// OrderNumber derives the order number from the conversation and how many
// orders it placed before, so that replays give the same numbers.
func OrderNumber(t *sdk.Tracker) string {
	placed := 0
	for _, e := range t.Events() {
		if e.Type() == "action" && e["name"] == "action_place_order" {
			placed++
		}
	}
	h := fnv.New32a()
	fmt.Fprintf(h, "%s/%d", t.SenderID(), placed)
	return fmt.Sprintf("PZ-%04d", h.Sum32()%10000)
}
