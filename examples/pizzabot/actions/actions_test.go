package actions

import (
	"context"
	"errors"
	"testing"

	"github.com/parley-chat/parley/sdk"
)

// tracker is a conversation whose latest message is text.
func tracker(text string, slots map[string]any) *sdk.Tracker {
	return sdk.NewTracker(sdk.TrackerState{SenderID: "t", Slots: slots,
		LatestMessage: sdk.UserMessage{Text: text}})
}

func TestExtractCount(t *testing.T) {
	asked := map[string]any{sdk.RequestedSlot: "pizza_count"}
	cases := []struct {
		text  string
		slots map[string]any
		want  any
	}{
		{"two please", asked, 2.0},
		{"3", asked, 3.0},
		{"I want 4 large ones", nil, 4.0},
		{"a funghi one", nil, nil},
		{"a funghi one", asked, 1.0},
		{"hmm", asked, nil},
	}
	for _, c := range cases {
		got, err := extractCount(context.Background(), &sdk.Dispatcher{},
			tracker(c.text, c.slots), nil)
		if err != nil || got != c.want {
			t.Errorf("%q: %v, %v; want %v", c.text, got, err, c.want)
		}
	}
}

func TestValidators(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		fn    sdk.ValidateFunc
		value any
		want  any
	}{
		{validateType, "Pepperoni", "pepperoni"},
		{validateType, "hawaii", nil},
		{validateSize, "BIG", "large"},
		{validateSize, "huge", nil},
		{validateCount, 2.0, 2.0},
		{validateCount, 12.0, nil},
		{validateCount, 1.5, nil},
	}
	for _, c := range cases {
		d := &sdk.Dispatcher{}
		got, err := c.fn(ctx, c.value, d, tracker("", nil), nil)
		if err != nil || got != c.want {
			t.Errorf("%v: %v, %v; want %v", c.value, got, err, c.want)
		}
		if explained := len(d.Messages()) > 0; explained != (c.want == nil) {
			t.Errorf("%v: messages %v", c.value, d.Messages())
		}
	}
}

func TestDeliveryMode(t *testing.T) {
	for text, want := range map[string]string{"please deliver it": "delivery",
		"I'll pick it up": "pickup", "large please": ""} {
		if got := deliveryMode(text); got != want {
			t.Errorf("%q: %q, want %q", text, got, want)
		}
	}
}

func TestPlaceOrder(t *testing.T) {
	ctx := context.Background()
	if _, err := (PlaceOrder{}).Run(ctx, &sdk.Dispatcher{}, tracker("", nil), nil); !errors.Is(
		err, sdk.ErrRejected) {
		t.Errorf("an incomplete order: error %v, want a rejection", err)
	}
	slots := map[string]any{"pizza_type": "veggie", "pizza_size": "small", "pizza_count": 2.0}
	d := &sdk.Dispatcher{}
	evs, err := (PlaceOrder{}).Run(ctx, d, tracker("", slots), nil)
	if err != nil || len(evs) != 2 || evs[1].Type() != "followup" {
		t.Fatalf("events %v, error %v", evs, err)
	}
	msgs := d.Messages()
	if len(msgs) != 1 || msgs[0].Response != "utter_order_placed" ||
		msgs[0].Kwargs["mode"] != "pickup" || msgs[0].Kwargs["count"] != "2" {
		t.Errorf("messages %+v", msgs)
	}
}
