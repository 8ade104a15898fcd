// Package action runs the actions a policy predicts: Rasa's built-in actions
// (action_listen, action_session_start, action_restart, fallbacks, slot
// extraction), responses (utter_*), retrieval responses, forms, and custom
// actions through a Runner (the action server client).
package action
