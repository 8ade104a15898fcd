package event

import (
	"math"
	"strconv"
	"strings"
)

// appendFloat writes f the way Python's json module writes a float, so that
// timestamps and confidences read the same as Rasa's: always with a decimal
// point or an exponent ("1690000000.0", "0.5", "1e-05").
func appendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-4 || abs >= 1e16) {
		s := strconv.FormatFloat(f, 'e', -1, 64)
		// Python writes "1e+16" and "1.5e-07", as Go does.
		return append(b, s...)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	b = append(b, s...)
	if !strings.ContainsAny(s, ".e") {
		b = append(b, ".0"...)
	}
	return b
}

// Float is a float64 that encodes to JSON as Python does (see appendFloat).
// Other packages use it to write Rasa-shaped JSON with the same numbers.
type Float float64

// MarshalJSON implements json.Marshaler.
func (f Float) MarshalJSON() ([]byte, error) {
	return appendFloat(nil, float64(f)), nil
}
