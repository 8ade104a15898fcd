// Package throughput measures REST turns per second through whole Parley
// processes, with per-turn latency (p50, p99) and each replica's peak
// resident memory, beside a bare net/http handler that decodes and encodes
// the same JSON: the ceiling on this machine, measured in the same run.
//
// It holds only a benchmark, run on demand:
//
//	go test ./tests/throughput -run '^$' -bench . -benchtime 3000x
//
// The targets are one replica with the memory store, one on SQLite, one
// on PostgreSQL (in-process lock), one on PostgreSQL with the Redis lock
// store, and three on PostgreSQL and Redis behind NGINX; the bare handler
// is measured direct and behind the same NGINX configuration. Besides
// wall-clock figures it reports the CPU time the replicas spent per turn,
// which shared machines disturb least. docs/scaling.md has the figures
// and how to read them.
package throughput
