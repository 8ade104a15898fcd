package actionclient

import (
	"context"
	"encoding/json"
	"testing"
)

// FuzzParseAnswer checks that no answer body crashes the parsing and the
// building of bot events.
func FuzzParseAnswer(f *testing.F) {
	var cases []responseCase
	if err := json.Unmarshal(readTestdata(f, "responses.json"), &cases); err != nil {
		f.Fatal(err)
	}
	for _, tc := range cases {
		f.Add(tc.Status, []byte(tc.Body))
	}
	f.Add(200, []byte(`{"responses":[{"response":"utter_greet","buttons":"x","elements":3}]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		res, err := parseAnswer("action_x", "", answer{status: status, body: body})
		if err != nil {
			return
		}
		_, _ = res.AllEvents(context.Background(), fakeRender)
	})
}
