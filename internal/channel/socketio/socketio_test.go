package socketio

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/parley-chat/parley/internal/event"
)

func TestMessages(t *testing.T) {
	buttons := []map[string]any{{"title": "yes", "payload": "/affirm"},
		{"title": "no", "payload": "/deny"}}
	cases := []struct {
		name string
		ev   event.Event
		want string
	}{
		{"text parts", event.Event{Type: event.Bot, Text: "one\n\ntwo"},
			`[{"text":"one"},{"text":"two"}]`},
		{"buttons on the last part", event.Event{Type: event.Bot, Text: "a\n\nb?",
			Data: &event.BotData{Buttons: buttons}},
			`[{"text":"a"},{"quick_replies":[{"content_type":"text","payload":"/affirm",` +
				`"title":"yes"},{"content_type":"text","payload":"/deny","title":"no"}],"text":"b?"}]`},
		{"image", event.Event{Type: event.Bot, Data: &event.BotData{Image: "https://x/y.png",
			Attachment: "https://x/y.png"}},
			`[{"attachment":{"payload":{"src":"https://x/y.png"},"type":"image"}}]`},
		{"custom as it is", event.Event{Type: event.Bot,
			Data: &event.BotData{Custom: map[string]any{"kind": "card"}}}, `[{"kind":"card"}]`},
		{"elements", event.Event{Type: event.Bot,
			Data: &event.BotData{Elements: []any{map[string]any{"title": "t"}}}},
			`[{"attachment":{"payload":{"elements":[{"title":"t"}],"template_type":"generic"},` +
				`"type":"template"}}]`},
		{"not a bot event", event.Event{Type: event.Action, Name: "utter_x"}, `null`},
	}
	for _, c := range cases {
		got, _ := json.Marshal(Messages([]event.Event{c.ev}))
		if string(got) != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

func TestConfigFrom(t *testing.T) {
	c, err := ConfigFrom(nil)
	if err != nil || c.UserMessageEvt != "user_uttered" || c.BotMessageEvt != "bot_uttered" ||
		c.Path != "/socket.io" || c.Namespace != "/" || c.MetadataKey != "customData" ||
		c.SessionPersistence {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	c, err = ConfigFrom(map[string]any{"user_message_evt": "say", "socketio_path": "chat/",
		"namespace": "bots", "session_persistence": true})
	if err != nil || c.UserMessageEvt != "say" || c.Path != "/chat" || c.Namespace != "/bots" ||
		!c.SessionPersistence {
		t.Fatalf("set: %+v %v", c, err)
	}
	for _, bad := range []map[string]any{{"session_persistence": "yes"},
		{"bot_message_evt": 5}, {"namespace": ""}} {
		if _, err := ConfigFrom(bad); !errors.Is(err, ErrConfig) {
			t.Errorf("%v: %v", bad, err)
		}
	}
}

func TestMetadata(t *testing.T) {
	if m := metadata(`{"lang": "de"}`); m["lang"] != "de" {
		t.Errorf("JSON string: %v", m)
	}
	if m := metadata(map[string]any{"lang": "fr"}); m["lang"] != "fr" {
		t.Errorf("object: %v", m)
	}
	if m := metadata("not json"); m != nil {
		t.Errorf("garbage: %v", m)
	}
}
