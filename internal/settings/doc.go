// Package settings works out Parley's effective configuration and where each
// value came from.
//
// A value is taken from the first of these that has it: a command-line flag,
// a PARLEY_* environment variable, a file named by PARLEY_<NAME>_FILE (for
// secrets, as Docker secrets provide them), endpoints.yml or credentials.yml
// (read by the project loader, which expands ${VAR} as Rasa does), and
// finally the default of the mode.
//
// Parley runs in one of two modes. Development (the default) is for a
// laptop. Production (PARLEY_ENV=production) is checked by CheckProduction,
// which lists every setting that is unsafe to serve with, one line each with
// the reason and an example fix. Secrets are masked whenever values are
// printed.
package settings
