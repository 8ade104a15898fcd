package event

import "errors"

// ErrUnknownType is wrapped by the error UnmarshalJSON returns for an event
// whose "event" name Parley does not know. Rasa drops such events with a
// warning; DecodeList does the same and reports each one.
var ErrUnknownType = errors.New("event: unknown event type")

// ErrInvalid is wrapped by every other decoding error: bad JSON, a missing
// "event" field, a field of the wrong type.
var ErrInvalid = errors.New("event: invalid event")
