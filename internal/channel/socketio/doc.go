// Package socketio is the socketio channel of credentials.yml: the
// Socket.IO server that Rasa's chat widgets (rasa-webchat and others) talk
// to. It speaks the Socket.IO protocol of socket.io 3 and 4 (Engine.IO 4),
// over HTTP long-polling and websockets.
//
// A client asks for a session with session_request and gets its id back
// with session_confirm; it sends user messages on user_message_evt
// (user_uttered) and receives the bot's messages on bot_message_evt
// (bot_uttered), in the shapes Rasa's socket.io output channel emits.
package socketio
