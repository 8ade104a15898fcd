// Package server is Parley's HTTP server: the Rasa-compatible REST channel
// (POST /webhooks/rest/webhook), the HTTP API that --enable-api turns on
// (/model/parse, /status), /version and a chat page at /.
//
// Handlers return errors; one adapter writes them as Rasa's JSON error body
// and logs the detail with the request id. The loaded model sits behind an
// atomic pointer: it is swapped whole when a new one is ready, and until
// there is one, chat and parse requests get 409 with a body that says why.
package server
