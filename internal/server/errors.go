package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"

	"github.com/parley-chat/parley/internal/model"
)

// Rasa's error reasons used by this server.
const (
	ReasonBadRequest       = "BadRequest"
	ReasonNotAuthenticated = "NotAuthenticated"
	ReasonNotAuthorized    = "NotAuthorized"
	ReasonNotAcceptable    = "NotAcceptable"
	ReasonTrainingError    = "TrainingError"
	ReasonTestingError     = "TestingError"
	ReasonPredictionError  = "PredictionError"
	ReasonLoadingError     = "LoadingError"
	ReasonInvalidDomain    = "InvalidDomainError"
	// ReasonConversationNotFound is the reason Rasa gives, with a space,
	// when a conversation that must exist does not.
	ReasonConversationNotFound = "Not found"
	ReasonConflict             = "Conflict"
	ReasonConversationError    = "ConversationError"
	ReasonParsingError         = "ParsingError"
	ReasonNotFound             = "NotFound"
	ReasonTooLarge             = "RequestTooLarge"
	ReasonMethodNotAllowed     = "MethodNotAllowed"
	ReasonInternal             = "InternalError"
)

// Sentinel errors; test them with errors.Is on Error.Err.
var (
	// ErrNoModel means no model is loaded yet.
	ErrNoModel = errors.New("no model loaded")
	// ErrTraining means the model is still being trained.
	ErrTraining = errors.New("model is being trained")
	// ErrCORS means a --cors value cannot be an origin.
	ErrCORS = errors.New("invalid CORS origin")
	// ErrJWT means the JWT settings cannot be used.
	ErrJWT = errors.New("invalid JWT settings")
)

// badParam returns a 400 error about a query or body parameter, with
// Rasa's details {"parameter", "in"}.
func badParam(param, in, format string, args ...any) *Error {
	e := badRequest(format, args...)
	e.Details = map[string]any{"parameter": param, "in": in}
	return e
}

// conflict returns a 409 error with message.
func conflict(message string) *Error {
	return &Error{Status: http.StatusConflict, Reason: ReasonConflict, Message: message}
}

// conversationError returns the 500 error of a conversation operation that
// failed; the cause is only logged.
func conversationError(r *http.Request, err error) *Error {
	return &Error{Status: http.StatusInternalServerError, Reason: ReasonConversationError,
		Message: "The conversation could not be updated; the server log has the details " +
			"under request id " + requestID(r) + ".", Err: err}
}

// Error is an HTTP error answered with Rasa's JSON error body. Message,
// Details and Help are shown to the client; Err is only logged.
type Error struct {
	Status  int
	Reason  string
	Message string
	Details map[string]any
	Help    string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %s: %v", e.Status, e.Reason, e.Message, e.Err)
	}
	return fmt.Sprintf("%d %s: %s", e.Status, e.Reason, e.Message)
}

// Unwrap returns the logged cause.
func (e *Error) Unwrap() error { return e.Err }

// badRequest returns a 400 error with message.
func badRequest(format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Reason: ReasonBadRequest,
		Message: fmt.Sprintf(format, args...)}
}

// errorBody is Rasa's JSON error body.
type errorBody struct {
	Version string         `json:"version"`
	Status  string         `json:"status"`
	Message string         `json:"message"`
	Reason  string         `json:"reason"`
	Details map[string]any `json:"details"`
	Help    *string        `json:"help"`
	Code    int            `json:"code"`
}

// writeError writes err as Rasa's error body; anything that is not an
// *Error becomes a 500 whose message points at the log by request id. With
// detail (development), the logged cause is also in details.error.
func writeError(w http.ResponseWriter, requestID string, err error, detail bool) *Error {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Status: http.StatusInternalServerError, Reason: ReasonInternal,
			Message: "Parley could not answer this request; the server log has the details " +
				"under request id " + requestID, Err: err}
	}
	e = unavailable(e)
	body := errorBody{Version: model.Version, Status: "failure", Message: e.Message,
		Reason: e.Reason, Details: e.Details, Code: e.Status}
	if body.Details == nil {
		body.Details = map[string]any{}
	}
	if detail && e.Err != nil {
		body.Details = maps.Clone(body.Details)
		body.Details["error"] = e.Err.Error()
	}
	if e.Help != "" {
		body.Help = &e.Help
	}
	writeJSON(w, e.Status, body)
	return e
}

// writeJSON writes v as a JSON answer with status. Text is written as it
// is (no \u escapes for <, > and &), so emoji and markup come back byte for
// byte.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		buf.Reset()
		buf.WriteString(`{"status":"failure","message":"the answer could not be encoded",` +
			`"reason":"InternalError","code":500}` + "\n")
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
