// Package starter holds the small project that `parley init` writes: a bot
// that greets, asks how the user feels, cheers them up with a picture,
// learns their name and says goodbye. It is Parley's own, kept in the
// binary with embed, and it loads and validates without a single
// diagnostic.
package starter
