package agent

import "errors"

// ErrNoConversation is returned for a message without a conversation id.
var ErrNoConversation = errors.New("agent: message has no conversation id")
