package duckling

import "time"

// relativeAt reads times relative to the reference: "now", "today",
// "tomorrow", "next week", "this year", "in 2 hours", "3 days ago",
// "2 minutes from now", "tonight", "this morning".
func (d *doc) relativeAt(i int) (timeSpec, int, bool) {
	best, end := timeSpec{}, -1
	for _, read := range [...]func(*doc, int) (timeSpec, int, bool){
		(*doc).nowAt, (*doc).dayWord, (*doc).periodWord, (*doc).inDuration,
		(*doc).durationOffset, (*doc).podAt,
	} {
		if s, e, ok := read(d, i); ok && e > end {
			best, end = s, e
		}
	}
	return best, end, end >= 0
}

// nowAt reads "now", "right now", "just now".
func (d *doc) nowAt(i int) (timeSpec, int, bool) {
	j := i
	if d.is(j, "right", "just") && d.lang.has(d, j+1, roleNow) {
		j++
	}
	if !d.lang.has(d, j, roleNow) {
		return timeSpec{}, 0, false
	}
	s := newSpec()
	s.anchor = func(ref time.Time) (span, bool) {
		return instant(gSecond.truncate(ref), gSecond), true
	}
	return s, j + 1, true
}

// dayWord reads "today", "tomorrow", "the day after tomorrow".
func (d *doc) dayWord(i int) (timeSpec, int, bool) {
	off, end, ok := d.lang.days.match(d, i)
	if !ok {
		return timeSpec{}, 0, false
	}
	s := newSpec()
	s.anchor, s.dayWord = fixedDay(off), true
	return s, end, true
}

// periodWord reads "this week", "next month", "last year", "the
// following week", "this quarter".
func (d *doc) periodWord(i int) (timeSpec, int, bool) {
	mod, j, ok := d.lang.mods.match(d, i)
	if !ok {
		return timeSpec{}, 0, false
	}
	g, end, ok := d.lang.grains.match(d, j)
	if !ok || g < gDay || singleLetter(d, j) {
		return timeSpec{}, 0, false
	}
	s := newSpec()
	s.anchor = relativePeriod(g, mod.offset())
	return s, end, true
}

// inDuration reads "in 2 hours", "in a week", "in half an hour".
func (d *doc) inDuration(i int) (timeSpec, int, bool) {
	if !d.lang.has(d, i, roleIn) {
		return timeSpec{}, 0, false
	}
	u, ok := d.durationAt(i + 1)
	if !ok {
		return timeSpec{}, 0, false
	}
	return offsetSpec(u, 1), u.end, true
}

// durationOffset reads "3 days ago", "2 minutes from now", "a week hence".
func (d *doc) durationOffset(i int) (timeSpec, int, bool) {
	u, ok := d.durationAt(i)
	if !ok {
		return timeSpec{}, 0, false
	}
	switch {
	case d.lang.has(d, u.end, roleAgo):
		return offsetSpec(u, -1), u.end + 1, true
	case d.lang.has(d, u.end, roleHence):
		return offsetSpec(u, 1), u.end + 1, true
	case d.lang.has(d, u.end, roleFrom) && d.lang.has(d, u.end+1, roleNow):
		return offsetSpec(u, 1), u.end + 2, true
	}
	return d.durationFromTime(u)
}

// durationFromTime reads "3 years from today", "2 days after christmas",
// "a week before friday": the time moved by the duration, at the time's
// grain, as Duckling gives it.
func (d *doc) durationFromTime(u duration) (timeSpec, int, bool) {
	sign := 0
	switch j := u.end; {
	case d.lang.has(d, j, roleFrom) || d.lang.has(d, j, roleAfterNxt):
		sign = 1
	case d.lang.has(d, j, roleBefore) && !d.lang.has(d, j, roleTo):
		sign = -1
	}
	if sign == 0 {
		return timeSpec{}, 0, false
	}
	base, end, ok := d.composite(u.end + 1)
	if !ok || base.latent {
		return timeSpec{}, 0, false
	}
	s := newSpec()
	s.anchor = func(ref time.Time) (span, bool) {
		occ := base.occurrences(ref, time.Time{})
		if len(occ) == 0 || occ[0].interval {
			return span{}, false
		}
		return instant(u.g.add(occ[0].start, sign*u.value), occ[0].g), true
	}
	return s, end, true
}

// offsetSpec is the reference moved by sign times u, at the grain below
// u's unit, as Duckling reports it ("in 2 hours" has minute grain).
func offsetSpec(u duration, sign int) timeSpec {
	s := newSpec()
	s.anchor = func(ref time.Time) (span, bool) {
		g := u.g.finer()
		return instant(u.g.add(g.truncate(ref), sign*u.value), g), true
	}
	return s
}

// offset is how many periods "this", "next" and "last" move.
func (m modifier) offset() int {
	switch m {
	case modNext:
		return 1
	case modLast:
		return -1
	}
	return 0
}

// podAt reads parts of the day: "tonight", "this morning", "in the
// afternoon", "at lunch", "last night"; "morning" alone is latent and
// joins a day ("monday morning").
func (d *doc) podAt(i int) (timeSpec, int, bool) {
	j, today, latent := i, false, true
	if mod, k, ok := d.lang.mods.match(d, j); ok && mod == modLast {
		if pod, end, ok := d.lang.pods.match(d, k); ok && pod.night {
			s := newSpec()
			s.pod, s.anchor = &pod, fixedDay(-1)
			return s, end, true
		}
	}
	switch {
	case d.lang.has(d, j, roleIn) && d.lang.has(d, j+1, roleThe):
		j, latent = j+2, false
	case d.is(j, "this"):
		j, today, latent = j+1, true, false
	case d.lang.has(d, j, roleAt):
		j, latent = j+1, false
	}
	pod, end, ok := d.lang.pods.match(d, j)
	if !ok {
		return timeSpec{}, 0, false
	}
	s := newSpec()
	s.pod = &pod
	if pod.tonight || today {
		s.anchor = fixedDay(0)
		latent = false
	}
	s.latent = latent
	return s, end, true
}
