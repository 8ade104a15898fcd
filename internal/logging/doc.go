// Package logging sets up Parley's log/slog logger: text lines in
// development, one JSON object per line in production, always to stderr (the
// service manager or Docker collects them), at a level chosen by a flag or
// PARLEY_LOG_LEVEL.
//
// A request id put into a context with WithRequestID is added to every
// record logged with that context, so that the lines of one request (and
// of the turn it runs) can be found together.
package logging
