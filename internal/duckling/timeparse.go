package duckling

import "time"

// specMemo caches a parse result for one token position.
type specMemo struct {
	done bool
	s    timeSpec
	end  int
	ok   bool
}

// timeComponent reads one piece of a time: a clock, a date or a relative
// expression, whichever reading is longest.
func (d *doc) timeComponent(i int) (timeSpec, int, bool) {
	if !d.has(i) {
		return timeSpec{}, 0, false
	}
	m := &d.parts[i]
	if !m.done {
		m.s, m.end, m.ok = d.longestComponent(i)
		m.done = true
	}
	return m.s, m.end, m.ok
}

func (d *doc) longestComponent(i int) (timeSpec, int, bool) {
	best, end := timeSpec{}, -1
	for _, read := range [...]func(*doc, int) (timeSpec, int, bool){
		(*doc).clockAt, (*doc).dateAt, (*doc).relativeAt,
	} {
		s, e, ok := read(d, i)
		if ok && (e > end || e == end && best.latent && !s.latent) {
			best, end = s, e
		}
	}
	return best, end, end >= 0
}

// composite reads the pieces that together describe one time and merges
// them: "tomorrow at 9", "at 7:30 PM on Fri, Sep 20", "monday morning",
// "8 tonight". The result may be latent ("9" alone).
func (d *doc) composite(i int) (timeSpec, int, bool) {
	if !d.has(i) {
		return timeSpec{}, 0, false
	}
	m := &d.comps[i]
	if !m.done {
		m.s, m.end, m.ok = d.mergePieces(i)
		m.done = true
	}
	return m.s, m.end, m.ok
}

func (d *doc) mergePieces(i int) (timeSpec, int, bool) {
	s, j, ok := d.timeComponent(i)
	if !ok {
		return timeSpec{}, 0, false
	}
	for {
		next, end, ok := d.timeComponent(j)
		if !ok && (d.is(j, ",", "for") || d.lang.has(d, j, roleOf)) {
			next, end, ok = d.timeComponent(j + 1)
		}
		if !ok {
			break
		}
		merged := s
		if !merged.merge(next) {
			break
		}
		s, j = merged, end
	}
	return s, j, true
}

// timeExpr is a parsed time: one spec, an interval of two specs, an open
// interval, or a period computed directly from the reference time.
type timeExpr struct {
	single   *timeSpec
	from, to *timeSpec
	open     int // +1 after from, -1 before to, 2 from now until to
	fixed    anchorFunc
}

// Kinds of open intervals.
const (
	openAfter  = 1
	openBefore = -1
	openBy     = 2
)

// timeExprAt returns the longest time expression starting at token i.
func (d *doc) timeExprAt(i int) (timeExpr, int, bool) {
	best, bestEnd := timeExpr{}, -1
	try := func(e timeExpr, end int, ok bool) {
		if ok && end > bestEnd {
			best, bestEnd = e, end
		}
	}
	try(d.intervalAt(i))
	try(d.openIntervalAt(i))
	try(d.unitsRangeAt(i))
	try(d.weekendAt(i))
	try(d.monthPartAt(i))
	try(d.restOfAt(i))
	if s, end, ok := d.composite(i); ok && !s.latent {
		try(timeExpr{single: &s}, end, true)
	}
	if bestEnd < 0 && d.lang.has(d, i, roleAbout) {
		return d.timeExprAt(i + 1)
	}
	return best, bestEnd, bestEnd >= 0
}

// resolve turns the expression into values against ref: up to three for
// a single time (Duckling's "values"), one for intervals.
func (e timeExpr) resolve(ref time.Time) []span {
	switch {
	case e.fixed != nil:
		if sp, ok := e.fixed(ref); ok {
			return []span{sp}
		}
	case e.single != nil:
		return e.single.occurrences(ref, time.Time{})
	case e.open != 0:
		return e.resolveOpen(ref)
	case e.from != nil:
		return e.resolveClosed(ref)
	}
	return nil
}

func (e timeExpr) resolveClosed(ref time.Time) []span {
	a := e.from.occurrences(ref, time.Time{})
	if len(a) == 0 {
		return nil
	}
	b := e.to.occurrences(ref, a[0].start)
	if len(b) == 0 {
		return nil
	}
	return []span{closedSpan(a[0], b[0])}
}

// closedSpan is the interval from a to the end of b. As in Duckling, both
// sides have the finer grain of the two, and the interval ends one such
// grain after b starts: "from 3 to 5pm" ends at 18:00, "3:30 to 6 PM" at
// 18:01.
func closedSpan(a, b span) span {
	g, end := b.g, b.stop()
	if a.g < b.g && !b.interval {
		g, end = a.g, a.g.add(b.start, 1)
	}
	return span{start: a.start, g: min(a.g, g), end: end, endGrain: g, interval: true}
}

func (e timeExpr) resolveOpen(ref time.Time) []span {
	spec := e.from
	if spec == nil {
		spec = e.to
	}
	a := spec.occurrences(ref, time.Time{})
	if len(a) == 0 {
		return nil
	}
	switch e.open {
	case openAfter:
		return []span{{start: a[0].start, g: a[0].g, interval: true, openEnd: true}}
	case openBefore:
		return []span{{end: a[0].start, endGrain: a[0].g, interval: true, openStart: true}}
	}
	now := gSecond.truncate(ref)
	if !a[0].start.After(now) {
		return nil
	}
	return []span{{start: now, g: gSecond, end: a[0].start, endGrain: gSecond, interval: true}}
}

// scanTimes finds every time expression and resolves it against ref.
func (d *doc) scanTimes(ref time.Time) []match {
	var out []match
	for i := range d.toks {
		e, end, ok := d.timeExprAt(i)
		if !ok || d.cutsDigitChain(i, end) {
			continue
		}
		spans := e.resolve(ref)
		if len(spans) == 0 {
			continue
		}
		info := spans[0].json()
		values := make([]any, len(spans))
		for k, sp := range spans {
			values[k] = sp.json()
		}
		info["values"] = values
		out = append(out, d.tokenMatch(DimTime, i, end, timeEntityValue(spans[0]), info))
	}
	return out
}

// cutsDigitChain reports whether tokens [i, end) would cut a chain of
// digit groups joined by hyphens, such as the phone number 650-650-6500:
// a time takes the whole chain ("2015-03-03", "13-15") or no part of it.
func (d *doc) cutsDigitChain(i, end int) bool {
	hyphenDigits := func(k int) bool { // "-" and digits at k, glued to k-1
		return d.is(k, "-") && d.glued(k) && d.glued(k+1) && d.toks[k+1].kind == kindDigits
	}
	last := end - 1
	if d.has(last) && d.toks[last].kind == kindDigits && hyphenDigits(end) {
		return true
	}
	return d.toks[i].kind == kindDigits && i >= 2 && hyphenDigits(i-1) &&
		d.toks[i-2].kind == kindDigits
}
