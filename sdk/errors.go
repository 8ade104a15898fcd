package sdk

import (
	"errors"
	"fmt"
)

// ErrRejected is wrapped by the error of an action that declines to run
// (see Reject). The bot then logs the rejection and predicts another
// action; over HTTP it is answered with status 400 and the action's name.
var ErrRejected = errors.New("sdk: action rejected to run")

// ErrActionNotFound is wrapped by the error for an action call naming an
// action the registry does not hold (HTTP status 404).
var ErrActionNotFound = errors.New("sdk: no registered action found")

// ErrDuplicateAction is wrapped by the error of Registry.Register when an
// action's name is already taken.
var ErrDuplicateAction = errors.New("sdk: an action with this name is already registered")

// ErrInvalidBody is wrapped by the error for a webhook body that is not an
// action call (HTTP status 400, "Invalid body request").
var ErrInvalidBody = errors.New("sdk: invalid body request")

// Rejection is the error of an action that declines to run. It wraps
// ErrRejected.
type Rejection struct {
	// Message explains why; the bot logs it.
	Message string
}

// Error returns the message.
func (r *Rejection) Error() string {
	if r.Message == "" {
		return ErrRejected.Error()
	}
	return r.Message
}

// Unwrap returns ErrRejected.
func (r *Rejection) Unwrap() error { return ErrRejected }

// Reject returns the error an action returns to decline to run, for example
// a form validation that cannot proceed. The message is formatted with
// fmt.Sprintf.
func Reject(format string, args ...any) error {
	return &Rejection{Message: fmt.Sprintf(format, args...)}
}

// panicError is the error of an action that panicked.
type panicError struct {
	action string
	value  any
	stack  []byte
}

func (p *panicError) Error() string {
	return fmt.Sprintf("action %s panicked: %v", p.action, p.value)
}

// Stack returns the stack of the goroutine where the action panicked.
func (p *panicError) Stack() []byte { return p.stack }
