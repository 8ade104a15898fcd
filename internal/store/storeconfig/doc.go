// Package storeconfig builds the tracker store, lock store and event
// broker from the tracker_store, lock_store and event_broker sections of
// endpoints.yml, with the keys Rasa reads there.
//
// A section that cannot be used (an unknown type, a wrong key type, a
// server that does not answer or refuses the credentials) is an error that
// names endpoints.yml and the key; the caller must stop. Nothing falls
// back to another store.
package storeconfig
