//go:build race

package policy

// raceDetector is set when the tests run under -race.
const raceDetector = true
