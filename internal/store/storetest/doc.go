// Package storetest is the conformance suite that every tracker store must
// pass, and the helpers that tests use to reach this machine's database and
// message servers.
//
// Run takes a function that opens a fresh, empty store and runs the same
// cases against it: an empty load, append order, replace, conversations
// newest first, concurrent appends, Unicode round trips, a large
// conversation and close. The server helpers (PostgresSchema,
// MySQLDatabase, RedisURL, AMQPURL) give each test its own schema, database
// or key prefix and remove it when the test ends, so that tests can share
// one server; when the server is absent they skip the test, or fail it when
// PARLEY_CI_REQUIRE is set.
package storetest
