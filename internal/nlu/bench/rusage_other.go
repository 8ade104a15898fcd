//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package bench

// cpuSeconds is not measured on this system.
func cpuSeconds() float64 { return 0 }

// peakRSS is not measured on this system.
func peakRSS() uint64 { return 0 }
