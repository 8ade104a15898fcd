// Package replicas runs Parley the way a deployment with several
// processes does, and checks that nothing is lost or reordered: `parley
// run` processes built from this checkout, one project trained once, a real
// NGINX in front (round robin over the replicas), PostgreSQL as the tracker
// store and Redis as the lock store, or one SQLite data directory.
//
// The package's exported helpers (Binary, NewProject, StartReplica,
// StartNginx, StartCluster, RunConversations, CheckConversations) are
// shared with the throughput benchmark in tests/throughput. Its tests
// start whole processes; they skip under -short and under the race
// detector.
package replicas
