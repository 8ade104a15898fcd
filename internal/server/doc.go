// Package server is Parley's HTTP server: Rasa's HTTP API (what
// --enable-api turns on: status, conversations, model training, testing,
// parsing and loading, the domain), the channels of credentials.yml (rest,
// socketio, callback), /version, /openapi.yaml and the web app's routes.
//
// Handlers return errors; one adapter writes them as Rasa's JSON error body
// (version, status, message, reason, details, help, code) and logs the
// detail with the request id. The routes are listed in tables (routes.go)
// that the OpenAPI document is tested against. The loaded model sits
// behind an atomic pointer: it is swapped whole when a new one is loaded,
// and until there is one, chat and API requests get 409 with a body that
// says why.
//
// Authentication of the API: ?token= (--auth-token) or a Bearer JWT
// (--jwt-secret) whose role is admin, or user for its own conversation.
package server
