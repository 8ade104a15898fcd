package actionclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/parley-chat/parley/internal/event"
)

// responseCase is one entry of testdata/responses.json: what the action
// server answers and what the client makes of it.
type responseCase struct {
	Name        string          `json:"name"`
	Status      int             `json:"status"`
	Body        json.RawMessage `json:"body"`
	BodyText    string          `json:"body_text"`
	WantEvents  json.RawMessage `json:"want_events"`
	WantSkipped int             `json:"want_skipped"`
	WantError   string          `json:"want_error"`
}

var errorKinds = map[string]error{
	"rejected":  ErrRejected,
	"not_found": ErrActionNotFound,
	"server":    ErrServer,
	"status":    ErrStatus,
	"invalid":   ErrInvalidResponse,
}

// TestResponseContract runs every fixture of testdata/responses.json
// through a real HTTP round trip.
func TestResponseContract(t *testing.T) {
	var cases []responseCase
	if err := json.Unmarshal(readTestdata(t, "responses.json"), &cases); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(
				func(w http.ResponseWriter, _ *http.Request) {
					w.WriteHeader(tc.Status)
					if tc.BodyText != "" {
						_, _ = w.Write([]byte(tc.BodyText))
						return
					}
					_, _ = w.Write(tc.Body)
				}))
			defer srv.Close()
			c := newClient(t, srv.URL, nil, Options{})
			res, err := c.Call(context.Background(), testRequest(t, "action_hello"))
			if tc.WantError != "" {
				checkErrorKind(t, err, tc.WantError)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkEvents(t, res, tc)
		})
	}
}

func checkErrorKind(t *testing.T, err error, kind string) {
	t.Helper()
	want := errorKinds[kind]
	if !errors.Is(err, want) {
		t.Fatalf("error = %v, want %v", err, want)
	}
	var e *Error
	if !errors.As(err, &e) || e.Action != "action_hello" {
		t.Errorf("error %v does not name the action", err)
	}
}

func checkEvents(t *testing.T, res *Response, tc responseCase) {
	t.Helper()
	got, err := res.AllEvents(context.Background(), fakeRender)
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := event.DecodeList(tc.WantEvents)
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if len(res.Skipped) != tc.WantSkipped {
		t.Errorf("skipped %d events, want %d", len(res.Skipped), tc.WantSkipped)
	}
}

// TestRejectionCarriesName checks that a rejection names the action the
// server gave and its message.
func TestRejectionCarriesName(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"not now","action_name":"validate_pizza_form"}`))
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, nil, Options{})
	_, err := c.Call(context.Background(), testRequest(t, "validate_pizza_form"))
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrRejected) {
		t.Fatalf("error = %v", err)
	}
	if e.Action != "validate_pizza_form" || e.Detail != "not now" || e.Status != 400 {
		t.Errorf("rejection = %+v", e)
	}
}

// TestRenderErrorKeepsOtherEvents checks that a failing render drops only
// its message.
func TestRenderErrorKeepsOtherEvents(t *testing.T) {
	res := &Response{
		Events: []event.Event{{Type: event.Slot, Name: "x", Value: "y"}},
		Responses: []map[string]any{{"response": "utter_greet"},
			{"text": "plain"}},
	}
	boom := func(context.Context, string, map[string]any) (map[string]any, error) {
		return nil, errors.New("template broken")
	}
	got, err := res.AllEvents(context.Background(), boom)
	if err == nil {
		t.Fatal("no error for a failing render")
	}
	if len(got) != 2 || got[0].Text != "plain" || got[1].Type != event.Slot {
		t.Errorf("events = %+v", got)
	}
}
