// Package tracker derives a conversation's state from its event log, as
// Rasa's DialogueStateTracker does: slot values, the latest user message and
// action, the active loop, a pending followup action, pause, sessions, and
// the "applied" events that a later restart, rewind or undo leaves standing.
// It also turns a tracker into the per-turn states the policies compare
// (Rasa's featurized states) and into the tracker JSON of the HTTP API.
package tracker
