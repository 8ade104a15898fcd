// Package actionclient calls action servers that speak the Rasa SDK
// protocol (Rasa's RemoteAction), and the external response generator of
// the nlg: endpoint.
//
// A Client is built from the action_endpoint section of endpoints.yml. Its
// Call posts the action call (next_action, sender_id, tracker, domain,
// version), maps the answer's status to the sentinel errors of errors.go and
// decodes the answer's events and responses. Response.AllEvents turns the
// answer into the events the bot applies: a bot event per response (domain
// responses rendered through the caller's Render), then the returned events.
//
// Actions that the running binary registers itself (package sdk) are run in
// process through Options.Local with the same body, status codes and
// parsing, so that they behave exactly as over HTTP.
//
// Timeouts and retries: a call has a deadline (action_endpoint.timeout,
// default 10 s). It is retried once, and only when the connection was
// refused, because then the action server received nothing; after a
// timeout or a reset the action may have run, and running it twice could
// repeat its side effects.
package actionclient
