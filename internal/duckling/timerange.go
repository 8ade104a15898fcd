package duckling

import "time"

// intervalAt reads a closed interval with optional date context before or
// after it: "from 3 to 5pm", "between 9:30 and 11:00 on thursday", "July
// 13-15", "from 13 to 15 July", "tomorrow 3-5pm", "8am - 1pm".
func (d *doc) intervalAt(i int) (timeExpr, int, bool) {
	if e, end, ok := d.intervalCore(i); ok {
		return d.intervalContext(e, end)
	}
	ctx, j, ok := d.timeComponent(i)
	if !ok || ctx.hasClock() || !ctx.hasDate() || ctx.latent {
		return timeExpr{}, 0, false
	}
	e, end, ok := d.intervalCore(j)
	if !ok {
		return timeExpr{}, 0, false
	}
	e.from.withDateOf(ctx)
	e.to.withDateOf(ctx)
	return d.intervalContext(e, end)
}

// intervalContext applies a date written after the interval ("9:30 -
// 11:00 on Thursday") to both ends.
func (d *doc) intervalContext(e timeExpr, end int) (timeExpr, int, bool) {
	ctx, j, ok := d.timeComponent(end)
	if ok && !ctx.hasClock() && ctx.hasDate() && !ctx.latent &&
		!e.from.hasDate() && !e.to.hasDate() {
		e.from.withDateOf(ctx)
		e.to.withDateOf(ctx)
		end = j
	}
	return e, end, true
}

// intervalCore reads "from A to B", "between A and B" or "A - B".
func (d *doc) intervalCore(i int) (timeExpr, int, bool) {
	j := i
	sep := roleTo
	switch {
	case d.lang.has(d, i, roleFrom):
		j++
	case d.lang.has(d, i, roleBetween):
		j, sep = j+1, roleAnd
	}
	a, k, ok := d.rangeSide(j)
	if !ok || !d.lang.has(d, k, sep) {
		return timeExpr{}, 0, false
	}
	b, end, ok := d.rangeSide(k + 1)
	if !ok {
		return timeExpr{}, 0, false
	}
	if !pairSides(&a, &b) {
		return timeExpr{}, 0, false
	}
	return timeExpr{from: &a.spec, to: &b.spec}, end, true
}

// side is one end of an interval: a time, and when it was a bare number,
// that number read as a day of the month.
type side struct {
	spec timeSpec
	day  int
}

// rangeSide reads one end of an interval.
func (d *doc) rangeSide(i int) (side, int, bool) {
	s, end, ok := d.composite(i)
	day, dayEnd, isDay := d.dayNumber(i, false)
	switch {
	case ok && (!isDay || end >= dayEnd):
		if isDay && !(s.latent && end == dayEnd) {
			day = 0
		}
		return side{spec: s, day: day}, end, true
	case isDay:
		return side{spec: newSpec(), day: day}, dayEnd, true
	}
	return side{}, 0, false
}

// pairSides settles what the two ends mean together: day numbers beside
// a date ("July 13-15"), am/pm carried from one end to the other
// ("3-4pm"), and the date of one end given to the other.
func pairSides(a, b *side) bool {
	switch {
	case isDayDate(b.spec) && a.day != 0 && (a.spec.latent || !a.spec.hasClock()):
		a.spec = dateSpec(b.spec.year, b.spec.month, a.day)
	case isDayDate(a.spec) && b.day != 0 && (b.spec.latent || !b.spec.hasClock()):
		b.spec = dateSpec(a.spec.year, a.spec.month, b.day)
	}
	x, y := &a.spec, &b.spec
	if x.isEmpty() || y.isEmpty() {
		return false
	}
	shareAMPM(x, y)
	if x.latent && y.latent {
		return false
	}
	x.latent, y.latent = false, false
	y.withDateOf(*x)
	x.withDateOf(*y)
	return true
}

// isEmpty reports whether the spec constrains nothing.
func (s *timeSpec) isEmpty() bool {
	return s.grain() == gNone && s.anchor == nil && s.pod == nil
}

func isDayDate(s timeSpec) bool {
	return s.month != 0 && s.day != 0 && !s.hasClock() && s.anchor == nil
}

// shareAMPM gives an ambiguous start the half of day of its end: "3-4pm"
// is 15:00-17:00, "11-1pm" is 11:00-13:00.
func shareAMPM(x, y *timeSpec) {
	if !x.hasClock() || !y.hasClock() || !x.ampm12 || y.ampm12 {
		return
	}
	h := x.hour % 12
	if y.hour >= 12 && h+12 <= y.hour {
		h += 12
	} else if y.hour < 12 && h > y.hour {
		h += 12
	}
	x.hour, x.ampm12 = h, false
}

// openIntervalAt reads "after 2 pm", "since monday", "before 11 am",
// "until 2:00pm", "by 5pm", "after 5 days".
func (d *doc) openIntervalAt(i int) (timeExpr, int, bool) {
	kind := 0
	switch {
	case d.lang.has(d, i, roleAfter):
		kind = openAfter
	case d.lang.has(d, i, roleBefore):
		kind = openBefore
	case d.lang.has(d, i, roleBy):
		kind = openBy
	case d.lang.has(d, i, roleWithin):
		return d.withinAt(i)
	default:
		return timeExpr{}, 0, false
	}
	s, end, ok := d.composite(i + 1)
	if kind == openAfter {
		if u, isDur := d.durationAt(i + 1); isDur && (!ok || u.end >= end) {
			s, end, ok = offsetSpec(u, 1), u.end, true
		}
	}
	if !ok || s.latent {
		return timeExpr{}, 0, false
	}
	if kind == openAfter {
		return timeExpr{from: &s, open: kind}, end, true
	}
	return timeExpr{to: &s, open: kind}, end, true
}

// monthPartAt reads "early March", "mid next month", "end of April", "the
// end of the month": a third of the month, as Duckling cuts it (days 1 to
// 10, 11 to 20, 21 to the end).
func (d *doc) monthPartAt(i int) (timeExpr, int, bool) {
	part, j, ok := d.lang.monthParts.match(d, i)
	if !ok {
		return timeExpr{}, 0, false
	}
	month, end, ok := d.monthAt(j)
	if !ok {
		return timeExpr{}, 0, false
	}
	fixed := func(ref time.Time) (span, bool) {
		occ := month.occurrences(ref, time.Time{})
		if len(occ) == 0 || occ[0].interval || occ[0].g != gMonth {
			return span{}, false
		}
		first := occ[0].start
		from, to := first.AddDate(0, 0, 10*part), first.AddDate(0, 0, 10*(part+1))
		if part == 2 {
			to = first.AddDate(0, 1, 0)
		}
		return span{start: from, g: gDay, end: to, endGrain: gDay, interval: true}, true
	}
	return timeExpr{fixed: fixed}, end, true
}

// monthAt reads a whole month: "March", "next month", "the month" (the
// current one).
func (d *doc) monthAt(i int) (timeSpec, int, bool) {
	j := i
	if d.lang.has(d, j, roleThe) {
		j++
	}
	if g, end, ok := d.lang.grains.match(d, j); ok && g == gMonth && !singleLetter(d, j) {
		s := newSpec()
		s.anchor = relativePeriod(gMonth, 0)
		return s, end, true
	}
	s, end, ok := d.composite(i)
	if !ok || s.latent || s.hasClock() || s.day != 0 || s.weekday != 0 {
		return timeSpec{}, 0, false
	}
	return s, end, true
}

// restOfAt reads "the rest of the week": from today to the start of the
// period's last day, as Duckling gives it (Tuesday to Sunday 00:00).
func (d *doc) restOfAt(i int) (timeExpr, int, bool) {
	g, end, ok := d.lang.rests.match(d, i)
	if !ok {
		return timeExpr{}, 0, false
	}
	fixed := func(ref time.Time) (span, bool) {
		today := gDay.truncate(ref)
		last := g.add(g.truncate(ref), 1).AddDate(0, 0, -1)
		if !last.After(today) {
			return span{}, false
		}
		return span{start: today, g: gDay, end: last, endGrain: gDay, interval: true}, true
	}
	return timeExpr{fixed: fixed}, end, true
}

// withinAt reads "within 2 weeks": from now until the time the duration
// leads to.
func (d *doc) withinAt(i int) (timeExpr, int, bool) {
	u, ok := d.durationAt(i + 1)
	if !ok {
		return timeExpr{}, 0, false
	}
	s := offsetSpec(u, 1)
	return timeExpr{to: &s, open: openBy}, u.end, true
}

// unitsRangeAt reads "last 2 days", "past 2 weeks", "next 3 hours", "the
// next few days": whole periods before or after the current one.
func (d *doc) unitsRangeAt(i int) (timeExpr, int, bool) {
	mod, j, ok := d.lang.mods.match(d, i)
	if !ok || mod == modThis {
		return timeExpr{}, 0, false
	}
	n, ok := d.numberAt(j)
	if !ok || n.value < 1 || n.value > 1000 || n.value != float64(int(n.value)) {
		return timeExpr{}, 0, false
	}
	g, end, ok := d.grainUnit(n.end)
	if !ok {
		return timeExpr{}, 0, false
	}
	count := int(n.value)
	fixed := func(ref time.Time) (span, bool) {
		cur := g.truncate(ref)
		from, to := g.add(cur, 1), g.add(cur, 1+count)
		if mod == modLast {
			from, to = g.add(cur, -count), cur
		}
		return span{start: from, end: to, g: g, endGrain: g, interval: true}, true
	}
	return timeExpr{fixed: fixed}, end, true
}

// weekendAt reads "this weekend", "the weekend", "next week-end", "this
// past weekend": Friday 18:00 to Monday 00:00.
func (d *doc) weekendAt(i int) (timeExpr, int, bool) {
	mod, j, ok := d.lang.mods.match(d, i)
	if !ok {
		mod, j = modThis, i
		if d.lang.has(d, j, roleThe) {
			j++
		}
	}
	end, ok := d.weekendWord(j)
	if !ok {
		return timeExpr{}, 0, false
	}
	fixed := func(ref time.Time) (span, bool) {
		monday := gWeek.add(gWeek.truncate(ref), mod.offset())
		y, m, day := monday.Date()
		from := time.Date(y, m, day+4, 18, 0, 0, 0, ref.Location())
		return span{start: from, end: gDay.add(monday, 7), g: gHour, endGrain: gHour,
			interval: true}, true
	}
	return timeExpr{fixed: fixed}, end, true
}

// weekendWord reads "weekend", "week-end", "week end", "wkend".
func (d *doc) weekendWord(j int) (int, bool) {
	if d.lang.has(d, j, roleWeekend) {
		return j + 1, true
	}
	if d.lang.has(d, j, roleWeek) && d.is(j+1, "-") && d.is(j+2, "end") {
		return j + 3, true
	}
	if d.lang.has(d, j, roleWeek) && d.is(j+1, "end") {
		return j + 2, true
	}
	return 0, false
}
