package action

import "errors"

var (
	// ErrRejected is returned by an action that refuses to run now, as a
	// form does when the user's answer filled no slot. The agent records an
	// action_execution_rejected event and lets the policies predict again.
	ErrRejected = errors.New("action: execution rejected")
	// ErrNoRunner is wrapped when a custom action is predicted and no
	// action server is configured.
	ErrNoRunner = errors.New("action: no action server configured for custom actions")
	// ErrRunnerFailed is wrapped by a Runner's error when a custom action
	// could not run (unreachable, timed out, failed) and the Runner has
	// already logged why. The agent logs the action with no events and
	// tells the user something went wrong (see FailureReply).
	ErrRunnerFailed = errors.New("action: custom action failed")
)
