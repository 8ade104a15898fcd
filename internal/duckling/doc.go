// Package duckling extracts structured values from a message: numbers,
// ordinals, amounts of money, times, durations, emails, URLs, phone numbers,
// distances and temperatures. It is Parley's in-process replacement for a
// Duckling server, and its output has the shape Rasa's
// DucklingEntityExtractor gives: one entity per match, named by its
// dimension, with the parsed value and Duckling's value object in
// additional_info.
//
// The built-in extractors work on a token list with code point offsets. Words
// (number words, month names, units, currencies) come from a per-language
// rule table (Language); English is the one written so far, and other
// locales get their digit conventions ("2,5" is 2.5 in de_DE) and the
// language-free dimensions. An Extractor can also call a real Duckling
// server, in which case the built-in extractors are the fallback when the
// server is down.
//
// Relative times resolve against the reference time the caller passes (when
// the message was sent) in the zone the caller passes; the machine's local
// zone is never read.
package duckling
