package actionclient

import (
	"errors"
	"fmt"
	"strings"
)

// The sentinel errors below are wrapped by the *Error that Call and
// NLGClient.Generate return; test them with errors.Is.
var (
	// ErrRejected: the action declined to run (status 400 with
	// action_name). The bot logs action_execution_rejected and predicts
	// again without it. Error.Action names the rejecting action.
	ErrRejected = errors.New("action rejected to run")
	// ErrActionNotFound: the action server has no action of that name
	// (status 404).
	ErrActionNotFound = errors.New("action not found on the action server")
	// ErrServer: the server failed (status 5xx), or closed or reset the
	// connection after the request was sent.
	ErrServer = errors.New("action server error")
	// ErrStatus: any other unexpected status, such as 401 or 403.
	ErrStatus = errors.New("unexpected status from the action server")
	// ErrUnreachable: no connection could be made (refused, unknown host,
	// no route).
	ErrUnreachable = errors.New("action server unreachable")
	// ErrTimeout: no answer within the endpoint's timeout.
	ErrTimeout = errors.New("action server timed out")
	// ErrInvalidResponse: the answer is not the expected JSON.
	ErrInvalidResponse = errors.New("invalid answer from the action server")
	// ErrNoEndpoint: the action is not run in process and endpoints.yml
	// configures no action_endpoint url.
	ErrNoEndpoint = errors.New("no action endpoint configured")
	// ErrConfig: the endpoint section of endpoints.yml is invalid.
	ErrConfig = errors.New("invalid endpoint configuration")
)

// Error is a failed call. It wraps one of the sentinels above (Kind) and,
// for transport failures, the underlying error.
type Error struct {
	// Kind is the sentinel, such as ErrTimeout.
	Kind error
	// Action is the action called (for ErrRejected, the name the server
	// gave), or the response name for the NLG endpoint.
	Action string
	// URL is the endpoint called, without its query; "" when run in
	// process.
	URL string
	// Service names what was called when it is not the action server:
	// "nlg server" for the nlg endpoint. The message says it in place of
	// "action server".
	Service string
	// Status is the HTTP status, or 0 when there was no answer.
	Status int
	// Detail is the server's error message or the transport error.
	Detail string
	// Hint says how to fix the problem, when there is a likely fix.
	Hint string
	// Err is the underlying transport error, if any.
	Err error
}

// Error describes the failure with the action, the URL and the hint.
func (e *Error) Error() string {
	var b strings.Builder
	kind := e.Kind.Error()
	if e.Service != "" {
		kind = strings.Replace(kind, "action server", e.Service, 1)
	}
	fmt.Fprintf(&b, "%s: %s", kind, e.Action)
	if e.URL != "" {
		fmt.Fprintf(&b, " at %s", e.URL)
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, ": status %d", e.Status)
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, ": %s", e.Detail)
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, " (hint: %s)", e.Hint)
	}
	return b.String()
}

// Unwrap returns the sentinel and the transport error.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}
