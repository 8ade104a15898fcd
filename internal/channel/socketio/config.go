package socketio

import (
	"errors"
	"fmt"
	"strings"
)

// ErrConfig means the socketio settings of credentials.yml are unusable.
var ErrConfig = errors.New("socketio: invalid settings")

// Name is the channel's name in credentials.yml and in user events.
const Name = "socketio"

// Config is the socketio section of credentials.yml.
type Config struct {
	// UserMessageEvt is the event clients send messages on.
	UserMessageEvt string
	// BotMessageEvt is the event the bot's messages are emitted on.
	BotMessageEvt string
	// Namespace is the Socket.IO namespace ("" is the main one, "/").
	Namespace string
	// Path is where the Socket.IO server is served (default /socket.io).
	Path string
	// SessionPersistence makes the client's session id the conversation
	// id, so that a conversation survives reloads and reconnects.
	SessionPersistence bool
	// MetadataKey is the message field carrying metadata (customData).
	MetadataKey string
}

// ConfigFrom reads the socketio section of credentials.yml, with Rasa's
// defaults for what it leaves out.
func ConfigFrom(creds map[string]any) (Config, error) {
	c := Config{UserMessageEvt: "user_uttered", BotMessageEvt: "bot_uttered",
		Path: "/socket.io", MetadataKey: "customData", Namespace: "/"}
	fields := map[string]*string{"user_message_evt": &c.UserMessageEvt,
		"bot_message_evt": &c.BotMessageEvt, "namespace": &c.Namespace,
		"socketio_path": &c.Path, "metadata_key": &c.MetadataKey}
	for key, dst := range fields {
		v, ok := creds[key]
		if !ok || v == nil {
			continue
		}
		s, ok := v.(string)
		if !ok || s == "" {
			return c, fmt.Errorf("%w: %s must be a non-empty string, not %v", ErrConfig, key, v)
		}
		*dst = s
	}
	if v, ok := creds["session_persistence"]; ok && v != nil {
		b, ok := v.(bool)
		if !ok {
			return c, fmt.Errorf("%w: session_persistence must be true or false, not %v",
				ErrConfig, v)
		}
		c.SessionPersistence = b
	}
	if !strings.HasPrefix(c.Path, "/") {
		c.Path = "/" + c.Path
	}
	c.Path = strings.TrimSuffix(c.Path, "/")
	if !strings.HasPrefix(c.Namespace, "/") {
		c.Namespace = "/" + c.Namespace
	}
	return c, nil
}
