package storytest

import (
	"fmt"
	"time"
)

// referenceLayouts are the forms ParseReferenceTime reads, most precise
// first; all but the first take the zone from the caller.
var referenceLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04",
	"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"}

// ParseReferenceTime reads the reference time of a test run: RFC 3339
// ("2019-02-12T10:00:00-08:00"), or a date and clock time without offset
// ("2019-02-12T10:00", "2019-02-12"), which is read in zone (UTC when
// nil). Errors wrap ErrInput and show the accepted forms.
func ParseReferenceTime(s string, zone *time.Location) (time.Time, error) {
	if zone == nil {
		zone = time.UTC
	}
	for i, layout := range referenceLayouts {
		var t time.Time
		var err error
		if i == 0 {
			t, err = time.Parse(layout, s)
		} else {
			t, err = time.ParseInLocation(layout, s, zone)
		}
		if err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: reference time %q: write 2019-02-12T10:00:00-08:00, "+
		"2019-02-12T10:00 or 2019-02-12 (the last two in the --timezone zone)", ErrInput, s)
}
