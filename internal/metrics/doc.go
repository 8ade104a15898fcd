// Package metrics exposes Parley's Prometheus metrics: HTTP requests and
// their latencies, conversation turns, NLU parse and action timings, and
// the model being served.
//
// Each Metrics has its own registry (no global state), so tests and several
// servers in one process never share counters. Handler serves the registry
// in the Prometheus text format, behind a bearer token when one is given;
// production serves metrics only with a token.
package metrics
