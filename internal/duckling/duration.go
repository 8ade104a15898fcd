package duckling

import "math"

// duration is a length of time: value whole units of g, over tokens
// [start, end).
type duration struct {
	value      int
	g          grain
	start, end int
}

// seconds is the normalized length Duckling reports.
func (u duration) seconds() float64 { return float64(u.value) * u.g.seconds() }

// json is Duckling's value object for a duration.
func (u duration) json() map[string]any {
	return map[string]any{
		"type": "value", "value": u.value, "unit": u.g.String(),
		u.g.String(): u.value,
		"normalized": map[string]any{"unit": "second", "value": u.seconds()},
	}
}

// scanDurations finds every duration in the message.
func (d *doc) scanDurations() []match {
	var out []match
	for i := range d.toks {
		if u, ok := d.durationAt(i); ok {
			out = append(out, d.tokenMatch(DimDuration, i, u.end, u.value, u.json()))
		}
	}
	return out
}

// durationAt reads a duration and any smaller parts joined to it: "2
// years and 3 months", "1 year, 2 days, 3 hours and 4 seconds".
func (d *doc) durationAt(i int) (duration, bool) {
	u, ok := d.simpleDuration(i)
	if !ok {
		return u, false
	}
	for {
		j := u.end
		if d.is(j, ",") {
			j++
		}
		if d.lang.has(d, j, roleAnd) {
			j++
		}
		next, ok := d.simpleDuration(j)
		if !ok || next.g >= u.g || j == u.end && d.is(j, "-") {
			return u, true
		}
		u = combine(u, next)
	}
}

// combine adds b to a in the smaller grain, rounding like Duckling.
func combine(a, b duration) duration {
	g := min(a.g, b.g)
	v := math.Round(a.seconds()/g.seconds()) + math.Round(b.seconds()/g.seconds())
	return duration{value: int(v), g: g, start: a.start, end: b.end}
}

// simpleDuration reads "<number> <unit>", "an hour", "half an hour", "an
// hour and a half", "a quarter of an hour".
func (d *doc) simpleDuration(i int) (duration, bool) {
	if u, ok := d.halfDuration(i); ok {
		return u, true
	}
	value, j := 0.0, 0
	if n, ok := d.numberAt(i); ok {
		value, j = n.value, n.end
	} else if d.lang.has(d, i, roleA) {
		value, j = 1, i+1
	} else {
		return duration{}, false
	}
	g, end, ok := d.grainUnit(j)
	if !ok || value < 0 || value > 1e9 {
		return duration{}, false
	}
	if d.lang.has(d, end, roleAnd) && d.is(end+1, "a") && d.lang.has(d, end+2, roleHalf) {
		value += 0.5
		end += 3
	} else if d.lang.has(d, end, roleAnd) && d.lang.has(d, end+1, roleHalf) {
		value += 0.5
		end += 2
	}
	return wholeDuration(value, g, i, end), true
}

// halfDuration reads "half an hour", "half a day", "half hour" and "a
// quarter of an hour".
func (d *doc) halfDuration(i int) (duration, bool) {
	j, part := i, 0.5
	if d.is(j, "a") && d.lang.has(d, j+1, roleQuarter) && d.lang.has(d, j+2, roleOf) {
		j, part = j+3, 0.25
	} else if d.lang.has(d, j, roleHalf) {
		j++
	} else {
		return duration{}, false
	}
	if d.is(j, "a", "an") {
		j++
	}
	g, end, ok := d.grainUnit(j)
	if !ok {
		return duration{}, false
	}
	return wholeDuration(part, g, i, end), true
}

// wholeDuration turns a fractional count into whole units of a smaller
// grain: 2.5 hours are 150 minutes.
func wholeDuration(value float64, g grain, start, end int) duration {
	for value != math.Trunc(value) && g > gSecond {
		low := g.lower()
		value = value * g.seconds() / low.seconds()
		g = low
		if math.Abs(value-math.Round(value)) < 1e-9 {
			value = math.Round(value)
		}
	}
	return duration{value: int(math.Round(value)), g: g, start: start, end: end}
}

// grainUnit reads a time unit word; one-letter units and the minute mark
// must touch the number ("2h", "15'").
func (d *doc) grainUnit(i int) (grain, int, bool) {
	g, j, ok := d.lang.grains.match(d, i)
	if !ok {
		return gNone, 0, false
	}
	if (singleLetter(d, i) || d.toks[i].kind == kindSymbol) && !d.glued(i) {
		return gNone, 0, false
	}
	return g, j, true
}
