// Package importer copies the conversations of an existing Rasa tracker
// store into a Parley tracker store, for `parley data import-trackers`.
//
// A Source reads Rasa's layout: the SQL events table (SQLite, PostgreSQL,
// MySQL), one row per event with its JSON in the data column, or the Redis
// keys <prefix><sender id>, each holding {"name": ..., "events": [...]}.
// Every event is kept, so a conversation in the middle of a form goes on
// where it was; events of a type Parley does not know are dropped with a
// warning, as Rasa drops them. Conversations are copied oldest activity
// first, so that the store lists them in the same recency order.
package importer
