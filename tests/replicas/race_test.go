//go:build race

package replicas

// raceEnabled keeps the whole-process tests out of the race detector's
// run: they test other processes, and the detector only slows them down.
const raceEnabled = true
