package sdk

import (
	"context"
	"encoding/json"
	"testing"
)

// FuzzHandle checks that no webhook body crashes the registry and that
// every answer is JSON with one of the SDK's status codes.
func FuzzHandle(f *testing.F) {
	for _, action := range []string{"action_hello", "action_reject", "action_nope",
		"action_panic"} {
		f.Add([]byte(callBody(action)))
	}
	f.Add([]byte(`{"next_action":"action_hello","tracker":{"events":[{"event":1}]}}`))
	f.Add([]byte(`{"next_action":"action_hello","tracker":null,"domain":[]}`))
	reg := testRegistry(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		out, status := reg.Handle(context.Background(), body)
		switch status {
		case 200, 400, 404, 500:
		default:
			t.Fatalf("status %d", status)
		}
		if !json.Valid(out) {
			t.Fatalf("answer is not JSON: %s", out)
		}
	})
}
