package duckling

import "time"

// maxScanDays bounds the day-by-day search for a matching date (eight
// years, enough for "February 29" and "Friday the 13th").
const maxScanDays = 366 * 8

// occurrences resolves s against ref: up to three future values (those
// not over yet, Duckling's rule), or the latest past one when none is in
// the future. Values starting before notBefore are skipped.
func (s *timeSpec) occurrences(ref, notBefore time.Time) []span {
	var anchor span
	if s.anchor != nil {
		a, ok := s.anchor(ref)
		if !ok {
			return nil
		}
		anchor = a
		if s.grain() == gNone && s.pod == nil {
			return []span{a}
		}
		if a.g < gDay && !a.interval {
			return nil
		}
	}
	g := s.grain()
	if (g == gMonth || g == gYear) && s.pod == nil {
		return s.monthOccurrences(ref, notBefore, anchor)
	}
	return s.dayOccurrences(ref, notBefore, anchor)
}

// picker collects future values and remembers the last past one.
type picker struct {
	ref, notBefore time.Time
	future         []span
	past           span
	hasPast        bool
}

func (p *picker) offer(sp span, end time.Time) bool {
	if sp.start.Before(p.notBefore) {
		return false
	}
	if end.After(p.ref) {
		p.future = append(p.future, sp)
		return len(p.future) >= 3
	}
	p.past, p.hasPast = sp, true
	return false
}

func (p *picker) result() []span {
	if len(p.future) > 0 {
		return p.future
	}
	if p.hasPast {
		return []span{p.past}
	}
	return nil
}

// dayOccurrences walks the calendar day by day (jumping over months and
// days that cannot match) and offers each matching day's values.
func (s *timeSpec) dayOccurrences(ref, notBefore time.Time, anchor span) []span {
	loc := ref.Location()
	p := &picker{ref: ref, notBefore: notBefore}
	from, until := s.dayRange(ref, anchor)
	refDay := gDay.truncate(ref)
	for c, n := from, 0; c.Before(until) && n < maxScanDays; n++ {
		next, ok := s.matchDay(c, loc)
		if !ok {
			if !next.After(c) {
				break
			}
			c = next
			continue
		}
		if !(s.skipToday && c.Equal(refDay)) && s.offerDay(p, c) {
			break
		}
		c = gDay.add(c, 1)
	}
	return p.result()
}

// dayRange is the first day to look at and the day to stop before.
func (s *timeSpec) dayRange(ref time.Time, anchor span) (time.Time, time.Time) {
	loc := ref.Location()
	if s.anchor != nil {
		return gDay.truncate(anchor.start), anchor.stop()
	}
	if s.year != 0 {
		from := time.Date(s.year, 1, 1, 0, 0, 0, 0, loc)
		return from, from.AddDate(1, 0, 0)
	}
	from := gDay.truncate(ref)
	return from, from.AddDate(0, 0, maxScanDays)
}

// matchDay reports whether day c meets the date constraints; when it does
// not, it returns the next day worth looking at.
func (s *timeSpec) matchDay(c time.Time, loc *time.Location) (time.Time, bool) {
	y, m, d := c.Date()
	switch {
	case s.month != 0 && int(m) != s.month:
		ny := y
		if int(m) > s.month {
			ny++
		}
		return time.Date(ny, time.Month(s.month), 1, 0, 0, 0, 0, loc), false
	case s.day != 0 && d != s.day:
		if d < s.day && s.day <= daysIn(y, m) {
			return time.Date(y, m, s.day, 0, 0, 0, 0, loc), false
		}
		return time.Date(y, m+1, 1, 0, 0, 0, 0, loc), false
	case s.weekday != 0 && isoWeekday(c) != s.weekday:
		ahead := (s.weekday - isoWeekday(c) + 7) % 7
		return time.Date(y, m, d+ahead, 0, 0, 0, 0, loc), false
	case s.nth != 0 && !nthInMonth(d, daysIn(y, m), s.nth):
		return time.Date(y, m, d+1, 0, 0, 0, 0, loc), false
	}
	return c, true
}

// nthInMonth reports whether day d is the nth of its weekday in a month of
// length days (nth -1: the last one).
func nthInMonth(d, days, nth int) bool {
	if nth < 0 {
		return d+7 > days
	}
	return (d-1)/7+1 == nth
}

// offerDay offers the values of one matching day; true when enough.
func (s *timeSpec) offerDay(p *picker, day time.Time) bool {
	y, m, d := day.Date()
	loc := day.Location()
	if !s.hasClock() {
		if s.pod != nil {
			sp := podSpan(day, *s.pod)
			return p.offer(sp, sp.end)
		}
		sp := instant(day, gDay)
		return p.offer(sp, sp.stop())
	}
	g := s.grain()
	for _, h := range s.hoursFor() {
		t := wallClock(y, m, d, h, max(s.minute, 0), max(s.second, 0), loc)
		if p.offer(instant(t, g), gHour.truncate(t).Add(time.Hour)) {
			return true
		}
	}
	return false
}

// wallClock is the instant the clock in loc shows h:mi:s on that day. A
// time the clocks skip (2:30 on the night summer time starts) is the same
// time after the jump (3:30): Go would give the one before it, an hour
// earlier than anything the user could mean.
func wallClock(y int, m time.Month, d, h, mi, s int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, h, mi, s, 0, loc)
	if t.Hour() != h%24 {
		if later := t.Add(time.Hour); later.Hour() == (h+1)%24 {
			return later
		}
	}
	return t
}

// podSpan is the part of the day as an hour-grain interval.
func podSpan(day time.Time, pod partOfDay) span {
	y, m, d := day.Date()
	loc := day.Location()
	return span{
		start:    time.Date(y, m, d, pod.from, 0, 0, 0, loc),
		end:      time.Date(y, m, d, pod.to, 0, 0, 0, loc),
		g:        gHour,
		endGrain: gHour,
		interval: true,
	}
}

// monthOccurrences resolves month- or year-grain specs ("March", "October
// 2014", "1954").
func (s *timeSpec) monthOccurrences(ref, notBefore time.Time, anchor span) []span {
	loc := ref.Location()
	p := &picker{ref: ref, notBefore: notBefore}
	if s.grain() == gYear {
		sp := instant(time.Date(s.year, 1, 1, 0, 0, 0, 0, loc), gYear)
		p.offer(sp, sp.stop())
		return p.result()
	}
	from, until := gMonth.truncate(ref), gMonth.truncate(ref).AddDate(3, 0, 0)
	switch {
	case s.anchor != nil:
		from, until = gMonth.truncate(anchor.start), anchor.stop()
	case s.year != 0:
		from = time.Date(s.year, 1, 1, 0, 0, 0, 0, loc)
		until = from.AddDate(1, 0, 0)
	}
	for c := from; c.Before(until); c = c.AddDate(0, 1, 0) {
		if int(c.Month()) != s.month {
			continue
		}
		sp := instant(c, gMonth)
		if p.offer(sp, sp.stop()) {
			break
		}
	}
	return p.result()
}

// daysIn returns the number of days of month m in year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// isoWeekday returns 1 for Monday through 7 for Sunday.
func isoWeekday(t time.Time) int {
	return (int(t.Weekday())+6)%7 + 1
}

// monthOf converts a month number 1..12.
func monthOf(m int) time.Month { return time.Month(m) }
