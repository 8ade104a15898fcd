package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is Parley's version, written into every archive and reported by
// the HTTP API.
const Version = "0.1.0"

// MinimumCompatibleVersion is the oldest Parley version whose archives this
// Parley loads.
const MinimumCompatibleVersion = "0.1.0"

// FormatVersion is the layout version of the archive's contents.
const FormatVersion = 1

// compareVersions compares two "major.minor.patch" versions (a suffix after
// '-' or '+' is ignored): -1, 0 or 1.
func compareVersions(a, b string) (int, error) {
	pa, err := parseVersion(a)
	if err != nil {
		return 0, err
	}
	pb, err := parseVersion(b)
	if err != nil {
		return 0, err
	}
	for i := range pa {
		switch {
		case pa[i] < pb[i]:
			return -1, nil
		case pa[i] > pb[i]:
			return 1, nil
		}
	}
	return 0, nil
}

func parseVersion(v string) ([3]int, error) {
	var out [3]int
	core, _, _ := strings.Cut(v, "-")
	core, _, _ = strings.Cut(core, "+")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return out, fmt.Errorf("version %q is not major.minor.patch", v)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return out, fmt.Errorf("version %q is not major.minor.patch", v)
		}
		out[i] = n
	}
	return out, nil
}
