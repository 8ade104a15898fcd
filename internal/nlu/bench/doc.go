// Package bench runs Parley's NLU on the public benchmark data sets (HWU64,
// SNIPS, ...) and reads their Rasa NLU JSON files. It is used by the
// benchmark programs and the gated benchmark tests, never at serving time.
package bench
