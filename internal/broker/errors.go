package broker

import "errors"

// Errors of the brokers; test them with errors.Is.
var (
	// ErrUnavailable is wrapped by errors of a broker that cannot be
	// reached.
	ErrUnavailable = errors.New("broker: event broker unavailable")
	// ErrNotConfirmed is returned when the broker refused to confirm a
	// message.
	ErrNotConfirmed = errors.New("broker: message not confirmed")
	// ErrUndelivered is returned by Close when messages were still queued
	// when its context ended.
	ErrUndelivered = errors.New("broker: events left undelivered")
)
