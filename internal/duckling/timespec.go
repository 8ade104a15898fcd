package duckling

import "time"

// timeSpec is a parsed time expression before resolution: constraints on
// calendar fields, an optional anchor period computed from the reference
// time ("tomorrow", "next week"), and a part of the day.
type timeSpec struct {
	year, month, day int // 0 when free
	weekday          int // 1 Monday .. 7 Sunday, 0 when free
	nth              int // with weekday: 1..5 in its month, -1 the last
	hour             int // 0..23, -1 when free
	minute, second   int // -1 when free
	ampm12           bool
	pod              *partOfDay
	anchor           anchorFunc
	skipToday        bool // a bare weekday: its next occurrence after today
	latent           bool // alone it is no time ("9", "may")
	dayWord          bool // "today", "tomorrow": a bare hour may come first
}

// anchorFunc computes a period from the reference time; ok is false when
// the period does not exist.
type anchorFunc func(ref time.Time) (span, bool)

// newSpec returns a spec with no constraint.
func newSpec() timeSpec {
	return timeSpec{hour: -1, minute: -1, second: -1}
}

// hasClock reports whether a time of day is set.
func (s *timeSpec) hasClock() bool { return s.hour >= 0 }

// hasDate reports whether any constraint coarser than a time of day is set.
func (s *timeSpec) hasDate() bool {
	return s.year != 0 || s.month != 0 || s.day != 0 || s.weekday != 0 || s.anchor != nil
}

// grain is the precision of a single value of the spec.
func (s *timeSpec) grain() grain {
	switch {
	case s.second >= 0:
		return gSecond
	case s.minute >= 0:
		return gMinute
	case s.hour >= 0:
		return gHour
	case s.day != 0 || s.weekday != 0:
		return gDay
	case s.month != 0:
		return gMonth
	case s.year != 0:
		return gYear
	}
	return gNone
}

// merge combines the constraints of o into s; false when they disagree or
// cannot be combined.
func (s *timeSpec) merge(o timeSpec) bool {
	if s.latent && s.hasClock() && o.pod == nil && !o.dayWord ||
		o.latent && o.hasClock() && s.pod == nil {
		// A bare "9" joins only a part of the day or a day word that
		// follows it: "9 tonight", "9 tomorrow".
		return false
	}
	if s.anchor != nil && o.anchor != nil || s.pod != nil && o.pod != nil {
		return false
	}
	ok := unify(&s.year, o.year, 0) && unify(&s.month, o.month, 0) &&
		unify(&s.day, o.day, 0) && unify(&s.weekday, o.weekday, 0) &&
		unify(&s.nth, o.nth, 0) && unify(&s.hour, o.hour, -1) &&
		unify(&s.minute, o.minute, -1) && unify(&s.second, o.second, -1)
	if !ok {
		return false
	}
	s.ampm12 = s.ampm12 || o.ampm12
	if s.pod == nil {
		s.pod = o.pod
	}
	if s.anchor == nil {
		s.anchor = o.anchor
	}
	s.skipToday = (s.skipToday || o.skipToday) && s.anchor == nil
	s.latent = s.latent && o.latent
	return true
}

// unify sets *a to b when *a is free, and fails when both are set and
// differ.
func unify(a *int, b, free int) bool {
	switch {
	case b == free || *a == b:
		return true
	case *a == free:
		*a = b
		return true
	}
	return false
}

// withDateOf copies the date constraints of o into s where s has none,
// so "tomorrow from 3 to 5" gives both ends tomorrow.
func (s *timeSpec) withDateOf(o timeSpec) {
	if s.hasDate() || !o.hasDate() {
		if s.month == 0 && s.day != 0 && o.month != 0 {
			s.month = o.month
		}
		if s.year == 0 && (s.month != 0 || s.day != 0) && o.year != 0 {
			s.year = o.year
		}
		return
	}
	s.year, s.month, s.day, s.weekday, s.nth = o.year, o.month, o.day, o.weekday, o.nth
	s.anchor, s.skipToday = o.anchor, o.skipToday
	if s.pod == nil {
		s.pod = o.pod
	}
}

// fixedDay returns an anchor for the day offset days from the reference.
func fixedDay(offset int) anchorFunc {
	return func(ref time.Time) (span, bool) {
		return instant(gDay.add(gDay.truncate(ref), offset), gDay), true
	}
}

// relativePeriod returns an anchor for "this/next/last <grain>".
func relativePeriod(g grain, n int) anchorFunc {
	return func(ref time.Time) (span, bool) {
		return instant(g.add(g.truncate(ref), n), g), true
	}
}

// hoursFor lists the hours of a day the spec's clock may mean.
func (s *timeSpec) hoursFor() []int {
	h := s.hour
	if !s.ampm12 || h > 12 {
		return s.inPartOfDay([]int{h})
	}
	h %= 12
	return s.inPartOfDay([]int{h, h + 12})
}

// inPartOfDay keeps the hours inside the part of the day, if one is set.
func (s *timeSpec) inPartOfDay(hours []int) []int {
	if s.pod == nil {
		return hours
	}
	var out []int
	for _, h := range hours {
		if h >= s.pod.from && h < s.pod.to || (s.pod.to == 24 && h == 0 && !s.ampm12) {
			out = append(out, h)
		}
	}
	return out
}
