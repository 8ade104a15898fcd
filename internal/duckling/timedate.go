package duckling

import "time"

// dateAt reads a date with an optional "on" before it, or a month or year
// with an optional "in" before it.
func (d *doc) dateAt(i int) (timeSpec, int, bool) {
	if d.lang.has(d, i, roleOn) {
		if s, end, ok := d.datePhrase(i + 1); ok {
			s.latent = false
			return s, end, true
		}
	}
	if d.lang.has(d, i, roleIn) {
		if s, end, ok := d.datePhrase(i + 1); ok && s.day == 0 && s.weekday == 0 &&
			(s.month != 0 || s.year != 0) {
			s.latent = false
			return s, end, true
		}
	}
	return d.datePhrase(i)
}

// datePhrase returns the longest date reading at token i.
func (d *doc) datePhrase(i int) (timeSpec, int, bool) {
	best, end := timeSpec{}, -1
	for _, read := range [...]func(*doc, int) (timeSpec, int, bool){
		(*doc).weekdayDate, (*doc).monthDayDate, (*doc).dayMonthDate, (*doc).monthOnly,
		(*doc).dayOfMonth, (*doc).numericDate, (*doc).yearOnly, (*doc).holiday, (*doc).nthWeekday,
		(*doc).modMonth, (*doc).dayOfPeriod,
	} {
		if s, e, ok := read(d, i); ok && e > end {
			best, end = s, e
		}
	}
	return best, end, end >= 0
}

// dateSpec returns a spec with the given date fields.
func dateSpec(y, m, day int) timeSpec {
	s := newSpec()
	s.year, s.month, s.day = y, m, day
	return s
}

// weekdayDate reads "monday", "mon.", "this monday", "next friday", "last
// tuesday", "friday after next", "Tuesday the 19th", "Thu 15th".
func (d *doc) weekdayDate(i int) (timeSpec, int, bool) {
	mod, j, hasMod := d.lang.mods.match(d, i)
	if !hasMod {
		j = i
	}
	wd, j, ok := d.lang.weekdays.match(d, j)
	if !ok {
		return timeSpec{}, 0, false
	}
	j = d.skipDot(j)
	s := newSpec()
	s.weekday = wd
	switch {
	case d.lang.has(d, j, roleAfterNxt) && d.is(j+1, "next") && !hasMod:
		s.weekday, s.anchor, j = 0, weekdayAfter(wd, 2), j+2
	case hasMod && mod == modLast:
		s.weekday, s.anchor = 0, weekdayBefore(wd)
	case !hasMod || mod == modNext:
		s.skipToday = true
	}
	if day, end, ok := d.dayNumber(j, true); ok && s.anchor == nil && !d.isDigits(end-1) {
		s.day, j = day, end // "Thu 15th", "Tuesday the 19th"; "Thu 9" is a clock
	}
	return s, j, true
}

// weekdayAfter is the nth occurrence of weekday wd after today.
func weekdayAfter(wd, nth int) anchorFunc {
	return func(ref time.Time) (span, bool) {
		day := gDay.truncate(ref)
		ahead := (wd-isoWeekday(day)+6)%7 + 1 + 7*(nth-1)
		return instant(gDay.add(day, ahead), gDay), true
	}
}

// weekdayBefore is the latest occurrence of weekday wd before today.
func weekdayBefore(wd int) anchorFunc {
	return func(ref time.Time) (span, bool) {
		day := gDay.truncate(ref)
		back := (isoWeekday(day)-wd+6)%7 + 1
		return instant(gDay.add(day, -back), gDay), true
	}
}

// dayNumber reads a day of the month: "15", "15th", "fifteenth", with
// "the" before it when the flag allows. Digits must not start a clock
// ("3:30") or a numeric date.
func (d *doc) dayNumber(i int, allowThe bool) (int, int, bool) {
	if allowThe && d.lang.has(d, i, roleThe) {
		i++
	}
	if n, end, ok := d.ordinalAt(i); ok && n >= 1 && n <= 31 {
		return n, end, true
	}
	n, ok := d.digits(i, 2)
	if !ok || n < 1 || n > 31 || d.is(i+1, ":", "/", ".") && d.glued(i+1) {
		return 0, 0, false
	}
	if d.has(i+1) && d.toks[i+1].kind == kindWord && d.glued(i+1) &&
		!d.isMonthAt(i+1) {
		return 0, 0, false // "3pm", "5km"
	}
	return n, i + 1, true
}

// isDigits reports whether token i is a digit run.
func (d *doc) isDigits(i int) bool {
	return d.has(i) && d.toks[i].kind == kindDigits
}

func (d *doc) isMonthAt(i int) bool {
	_, _, ok := d.lang.months.match(d, i)
	return ok
}

// monthDayDate reads "March 3", "march 3rd", "February the 15th", "Feb13".
func (d *doc) monthDayDate(i int) (timeSpec, int, bool) {
	m, j, ok := d.lang.months.match(d, i)
	if !ok {
		return timeSpec{}, 0, false
	}
	day, end, ok := d.dayNumber(d.skipDot(j), true)
	if !ok || day > daysIn(2012, time.Month(m)) {
		return timeSpec{}, 0, false
	}
	return dateSpec(0, m, day), end, true
}

// dayMonthDate reads "15th february", "15 of february", "the 1st of
// march", "first of march", "14april".
func (d *doc) dayMonthDate(i int) (timeSpec, int, bool) {
	day, j, ok := d.dayNumber(i, true)
	if !ok {
		return timeSpec{}, 0, false
	}
	if d.lang.has(d, j, roleOf) {
		j++
	}
	m, end, ok := d.lang.months.match(d, j)
	if !ok || day > daysIn(2012, time.Month(m)) {
		return timeSpec{}, 0, false
	}
	return dateSpec(0, m, day), d.skipDot(end), true
}

// dayOfPeriod reads "20 of next month", "the 3rd of this month": a day of
// the month a relative month phrase names.
func (d *doc) dayOfPeriod(i int) (timeSpec, int, bool) {
	day, j, ok := d.dayNumber(i, true)
	if !ok || !d.lang.has(d, j, roleOf) {
		return timeSpec{}, 0, false
	}
	mod, k, ok := d.lang.mods.match(d, j+1)
	if !ok {
		return timeSpec{}, 0, false
	}
	g, end, ok := d.lang.grains.match(d, k)
	if !ok || g != gMonth || singleLetter(d, k) {
		return timeSpec{}, 0, false
	}
	s := dateSpec(0, 0, day)
	s.anchor = relativePeriod(gMonth, mod.offset())
	return s, end, true
}

// monthOnly reads a month name; "may" alone is latent (it is also a verb).
func (d *doc) monthOnly(i int) (timeSpec, int, bool) {
	m, j, ok := d.lang.months.match(d, i)
	if !ok {
		return timeSpec{}, 0, false
	}
	s := dateSpec(0, m, 0)
	s.latent = d.is(i, "may")
	return s, d.skipDot(j), true
}

// dayOfMonth reads "the 15th", "the first".
func (d *doc) dayOfMonth(i int) (timeSpec, int, bool) {
	if !d.lang.has(d, i, roleThe) {
		return timeSpec{}, 0, false
	}
	n, end, ok := d.ordinalAt(i + 1)
	if !ok || n < 1 || n > 31 {
		return timeSpec{}, 0, false
	}
	return dateSpec(0, 0, n), end, true
}

// yearOnly reads a year from 1000 to 2100 written with four digits.
func (d *doc) yearOnly(i int) (timeSpec, int, bool) {
	y, ok := d.digits(i, 4)
	if !ok || len(d.toks[i].text) != 4 || y < 1000 || y > 2100 || d.glued(i+1) &&
		!d.is(i+1, ",", ".", "?", "!", ")") {
		return timeSpec{}, 0, false
	}
	return dateSpec(y, 0, 0), i + 1, true
}

// holiday reads a fixed yearly holiday: "christmas", "new year's eve".
func (d *doc) holiday(i int) (timeSpec, int, bool) {
	md, end, ok := d.lang.holidays.match(d, i)
	if !ok {
		return timeSpec{}, 0, false
	}
	return dateSpec(0, md.month, md.day), end, true
}

// nthWeekday reads "first tuesday of october", "last Monday of March",
// "third day of october".
func (d *doc) nthWeekday(i int) (timeSpec, int, bool) {
	nth, j, ok := d.ordinalAt(i)
	if !ok && d.lang.has(d, i, roleLastOf) {
		nth, j, ok = -1, i+1, true
	}
	if !ok || nth == 0 || nth > 5 && nth != -1 {
		return timeSpec{}, 0, false
	}
	s := newSpec()
	if wd, k, ok := d.lang.weekdays.match(d, j); ok {
		s.weekday, s.nth, j = wd, nth, k
	} else if g, k, ok := d.lang.grains.match(d, j); ok && g == gDay && nth > 0 {
		s.day, j = nth, k
	} else {
		return timeSpec{}, 0, false
	}
	if !d.lang.has(d, j, roleOf) {
		return timeSpec{}, 0, false
	}
	m, end, ok := d.lang.months.match(d, j+1)
	if !ok {
		return timeSpec{}, 0, false
	}
	s.month = m
	return s, end, true
}

// modMonth reads "next March", "last March", "this March".
func (d *doc) modMonth(i int) (timeSpec, int, bool) {
	mod, j, ok := d.lang.mods.match(d, i)
	if !ok {
		return timeSpec{}, 0, false
	}
	m, end, ok := d.lang.months.match(d, j)
	if !ok {
		return timeSpec{}, 0, false
	}
	s := newSpec()
	s.anchor = monthAround(m, mod)
	return s, end, true
}

// monthAround is month m of this year, or the next one after the current
// month, or the last one before it.
func monthAround(m int, mod modifier) anchorFunc {
	return func(ref time.Time) (span, bool) {
		cur := gMonth.truncate(ref)
		t := time.Date(cur.Year(), time.Month(m), 1, 0, 0, 0, 0, ref.Location())
		switch {
		case mod == modNext && !t.After(cur):
			t = t.AddDate(1, 0, 0)
		case mod == modLast && !t.Before(cur):
			t = t.AddDate(-1, 0, 0)
		}
		return instant(t, gMonth), true
	}
}
