package duckling

// clockAt reads a time of day with optional "at", "@" or "around" before
// it: "at 9", "9am", "3:30pm", "15:23:24", "noon", "half past 3", "a
// quarter to noon", "ten thirty am". A bare hour ("9") is latent.
func (d *doc) clockAt(i int) (timeSpec, int, bool) {
	j, at := i, false
	for d.lang.has(d, j, roleAt) || d.lang.has(d, j, roleAbout) {
		j, at = j+1, true
	}
	best, end := timeSpec{}, -1
	for _, read := range [...]func(*doc, int) (timeSpec, int, bool){
		(*doc).relativeClock, (*doc).noonClock, (*doc).colonClock, (*doc).hourClock,
		(*doc).wordClock,
	} {
		if s, e, ok := read(d, j); ok && e > end {
			best, end = s, e
		}
	}
	if end < 0 {
		return timeSpec{}, 0, false
	}
	if at {
		best.latent = false
	}
	return best, end, true
}

// withAMPM applies "am"/"pm" (or "in the evening") after a clock at j to
// hour h: it returns the spec and the index after the marker.
func (d *doc) withAMPM(s timeSpec, j int) (timeSpec, int) {
	half, end, ok := d.lang.ampm.match(d, j)
	if !ok || s.hour > 12 || s.hour < 0 {
		return s, j
	}
	if singleLetter(d, j) && end == j+1 && !d.glued(j) {
		return s, j // "at 3 a day" is no "3 am"
	}
	s.hour = s.hour%12 + half
	s.ampm12, s.latent = false, false
	return s, d.skipDot(end)
}

// hourSpec is a clock at hour h (0..23), ambiguous between am and pm when
// h is 1..12.
func hourSpec(h, m, sec int) timeSpec {
	s := newSpec()
	s.hour, s.minute, s.second = h, m, sec
	s.ampm12 = h >= 1 && h <= 12
	return s
}

// colonClock reads "3:30", "15:23:24", "3:30pm".
func (d *doc) colonClock(i int) (timeSpec, int, bool) {
	h, ok := d.digits(i, 2)
	if !ok || h > 23 || !d.is(i+1, ":") || !d.glued(i+1) || !d.glued(i+2) {
		return timeSpec{}, 0, false
	}
	m, ok := d.digits(i+2, 2)
	if !ok || m > 59 || len(d.toks[i+2].text) != 2 {
		return timeSpec{}, 0, false
	}
	sec, j := -1, i+3
	if d.is(j, ":") && d.glued(j) && d.glued(j+1) {
		if v, ok := d.digits(j+1, 2); ok && v < 60 {
			sec, j = v, j+2
		}
	}
	s, end := d.withAMPM(hourSpec(h, m, sec), j)
	return s, end, true
}

// hourClock reads "9am", "9 pm", "3 o'clock", "330 p.m.", "1030", "9".
func (d *doc) hourClock(i int) (timeSpec, int, bool) {
	h, j, ok := d.hourNumber(i)
	if !ok {
		return d.compactClock(i)
	}
	s := hourSpec(h, -1, -1)
	s.latent = true
	if d.lang.has(d, j, roleOClock) {
		s.latent, j = false, j+1
	}
	s, j = d.withAMPM(s, j)
	return s, j, true
}

// compactClock reads "330pm" or "1030" as 3:30 pm and 10:30; without am/pm
// it is latent.
func (d *doc) compactClock(i int) (timeSpec, int, bool) {
	v, ok := d.digits(i, 4)
	if !ok || len(d.toks[i].text) < 3 || v%100 > 59 || v/100 > 23 {
		return timeSpec{}, 0, false
	}
	s := hourSpec(v/100, v%100, -1)
	s.latent = true
	s, j := d.withAMPM(s, i+1)
	return s, j, true
}

// hourNumber reads an hour 0..23 in digits or 0..12 in words.
func (d *doc) hourNumber(i int) (int, int, bool) {
	if h, ok := d.digits(i, 2); ok && h <= 23 {
		return h, i + 1, true
	}
	w, j, ok := d.lang.numbers.match(d, i)
	if ok && (w.kind == numUnit || w.kind == numTeen) && w.value <= 12 {
		return int(w.value), j, true
	}
	return 0, 0, false
}

// wordClock reads "ten thirty am", "nine fifty nine a m": an hour word and
// minutes in words. Without am/pm it is latent.
func (d *doc) wordClock(i int) (timeSpec, int, bool) {
	w, j, ok := d.lang.numbers.match(d, i)
	if !ok || (w.kind != numUnit && w.kind != numTeen) || w.value > 12 {
		return timeSpec{}, 0, false
	}
	m, ok := d.wordNumber(j)
	if !ok || m.value < 10 || m.value > 59 || m.value != float64(int(m.value)) {
		return timeSpec{}, 0, false
	}
	s := hourSpec(int(w.value), int(m.value), -1)
	s.latent = true
	s, end := d.withAMPM(s, m.end)
	return s, end, true
}

// noonClock reads "noon", "midday" and "midnight".
func (d *doc) noonClock(i int) (timeSpec, int, bool) {
	switch {
	case d.lang.has(d, i, roleNoon):
		return hourSpec(12, -1, -1).fixed(), i + 1, true
	case d.lang.has(d, i, roleMidnight):
		return hourSpec(0, -1, -1), i + 1, true
	}
	return timeSpec{}, 0, false
}

// fixed clears the am/pm ambiguity of the hour.
func (s timeSpec) fixed() timeSpec {
	s.ampm12 = false
	return s
}

// relativeClock reads "half past 3", "a quarter past 3pm", "20 past 3",
// "twenty after 3pm", "a quarter to noon", "ten to five", "half three".
func (d *doc) relativeClock(i int) (timeSpec, int, bool) {
	j := i
	if d.is(j, "a") {
		j++
	}
	mins, j, words := d.clockMinutes(j)
	if mins <= 0 {
		return timeSpec{}, 0, false
	}
	var before bool
	switch {
	case d.lang.has(d, j, rolePast):
	case d.lang.has(d, j, roleTill) && (words || d.lang.has(d, j+1, roleNoon) ||
		d.lang.has(d, j+1, roleMidnight)):
		before = true
	case d.lang.has(d, j-1, roleHalf) && mins == 30:
		j-- // "half three": no "past" word
	default:
		return timeSpec{}, 0, false
	}
	h, end, ok := d.clockHour(j + 1)
	if !ok {
		return timeSpec{}, 0, false
	}
	if before {
		h.hour = (h.hour + 23) % 24
		h.minute = 60 - mins
	} else {
		h.minute = mins
	}
	h.latent = false
	return h, end, true
}

// clockMinutes reads the minutes of "half past", "quarter to", "20 past":
// the count, the index after, and whether it was written in words (digits
// before "to" would read "3 to 5" as a time).
func (d *doc) clockMinutes(j int) (int, int, bool) {
	switch {
	case d.lang.has(d, j, roleHalf):
		return 30, j + 1, true
	case d.lang.has(d, j, roleQuarter):
		return 15, j + 1, true
	}
	n, ok := d.numberAt(j)
	if !ok || n.value < 1 || n.value > 59 || n.value != float64(int(n.value)) {
		return 0, j, false
	}
	end := n.end
	if g, e, ok := d.grainUnit(end); ok && g == gMinute {
		return int(n.value), e, true
	}
	return int(n.value), end, n.words
}

// clockHour reads the hour after "past" or "to": "3", "3pm", "noon".
func (d *doc) clockHour(i int) (timeSpec, int, bool) {
	if s, end, ok := d.noonClock(i); ok {
		return s, end, true
	}
	h, j, ok := d.hourNumber(i)
	if !ok {
		return timeSpec{}, 0, false
	}
	s, end := d.withAMPM(hourSpec(h, -1, -1), j)
	return s, end, true
}
