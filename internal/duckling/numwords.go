package duckling

// wordState accumulates a number written in words.
type wordState struct {
	total, cur float64
	prev       numKind
	lastScale  float64
	words      int // how many words were accepted
}

// wordNumber reads a number in words: "twenty-one", "a hundred and five",
// "three million two hundred thousand", "a dozen", "two point five".
func (d *doc) wordNumber(i int) (numMatch, bool) {
	if m, ok := d.leadingPoint(i); ok {
		return m, true
	}
	var st wordState
	j, end := i, -1
	for {
		j = d.skipJoiner(j, st.prev)
		w, next, ok := d.lang.numbers.match(d, j)
		if !ok && st.prev == 0 && d.articleOne(j) {
			w, next, ok = numWord{numUnit, 1}, j+1, true
		}
		if !ok || !st.accept(w) {
			break
		}
		j, end = next, next
		if w.kind == numWhole || w.kind == numZero || w.kind == numDozen {
			break
		}
	}
	if end < 0 {
		return numMatch{}, false
	}
	m := numMatch{value: st.total + st.cur, end: end, words: true}
	return d.wordDecimals(m, st.prev), true
}

// articleOne reports whether "a"/"an" at i stands for one, as in
// "a hundred" or "a thousand".
func (d *doc) articleOne(i int) bool {
	if !d.is(i, "a", "an") {
		return false
	}
	w, _, ok := d.lang.numbers.match(d, i+1)
	return ok && (w.kind == numHundred || w.kind == numScale)
}

// skipJoiner steps over "and" after hundreds or thousands and over the
// hyphen of "twenty-one".
func (d *doc) skipJoiner(j int, prev numKind) int {
	next := func(k int) bool {
		w, _, ok := d.lang.numbers.match(d, k)
		return ok && (w.kind == numUnit || w.kind == numTeen || w.kind == numTens)
	}
	if (prev == numHundred || prev == numScale) && d.lang.has(d, j, roleAnd) && next(j+1) {
		return j + 1
	}
	if prev == numTens && d.is(j, "-") && d.glued(j) && d.glued(j+1) && next(j+1) {
		return j + 1
	}
	return j
}

// accept adds word w when it may follow the words read so far.
func (st *wordState) accept(w numWord) bool {
	p := st.prev
	switch w.kind {
	case numZero, numWhole:
		if p != 0 {
			return false
		}
		st.cur = w.value
	case numUnit:
		if p != 0 && p != numTens && p != numHundred && p != numScale {
			return false
		}
		st.cur += w.value
	case numTeen, numTens:
		if p == numUnit && st.words == 1 {
			// Hundreds left unsaid: "one twenty two" is 122, "nine eleven" 911.
			st.cur = st.cur*100 + w.value
			break
		}
		if p != 0 && p != numHundred && p != numScale {
			return false
		}
		st.cur += w.value
	case numHundred:
		if p != numUnit && p != numTeen && p != numTens {
			return false
		}
		st.cur *= 100
	case numScale:
		if p == 0 || p == numScale || (st.lastScale != 0 && w.value >= st.lastScale) {
			return false
		}
		st.total += st.cur * w.value
		st.cur, st.lastScale = 0, w.value
	case numDozen:
		if p == 0 || p == numScale {
			return false
		}
		st.cur = (st.total + st.cur) * 12
		st.total = 0
	default:
		return false
	}
	st.prev = w.kind
	st.words++
	return true
}

// wordDecimals reads "point five" (or "point 5") after a number in words,
// then a scale word: "two point two million".
func (d *doc) wordDecimals(m numMatch, prev numKind) numMatch {
	if prev != numUnit && prev != numZero && prev != numTens && prev != numTeen {
		return m
	}
	frac, end, ok := d.decimalWords(m.end)
	if !ok {
		return m
	}
	m.value += frac
	m.end = end
	if w, next, ok := d.lang.numbers.match(d, end); ok && w.kind == numScale {
		m.value *= w.value
		m.end = next
	}
	return m
}

// decimalWords reads "point" and the digits after it, as digit words or a
// digit run; it returns the fraction and the index after it.
func (d *doc) decimalWords(i int) (float64, int, bool) {
	if !d.lang.has(d, i, rolePoint) {
		return 0, 0, false
	}
	if d.has(i+1) && d.toks[i+1].kind == kindDigits {
		return fraction(d.toks[i+1].text), i + 2, true
	}
	digits := ""
	j := i + 1
	for {
		w, next, ok := d.lang.numbers.match(d, j)
		if !ok || (w.kind != numUnit && w.kind != numZero) {
			break
		}
		digits += string(rune('0' + int(w.value)))
		j = next
	}
	if digits == "" {
		return 0, 0, false
	}
	return fraction(digits), j, true
}

// leadingPoint reads "point 77" as 0.77.
func (d *doc) leadingPoint(i int) (numMatch, bool) {
	frac, end, ok := d.decimalWords(i)
	if !ok {
		return numMatch{}, false
	}
	return numMatch{value: frac, end: end, words: true}, true
}

// ordinalAt reads "21st", "third", "twenty-first", "twenty first".
func (d *doc) ordinalAt(i int) (int, int, bool) {
	if n, ok := d.digits(i, 9); ok && d.glued(i+1) && d.lang.ordSuffix[d.tokText(i+1)] {
		return n, i + 2, true
	}
	w, next, ok := d.lang.numbers.match(d, i)
	if ok && w.kind == numTens {
		j := next
		if d.is(j, "-") && d.glued(j) && d.glued(j+1) {
			j++
		}
		if v, end, ok := d.lang.ordinals.match(d, j); ok && v < 10 {
			return int(w.value) + v, end, true
		}
	}
	if v, end, ok := d.lang.ordinals.match(d, i); ok {
		return v, end, true
	}
	return 0, 0, false
}

// tokText returns the lower-cased text of token i, or "".
func (d *doc) tokText(i int) string {
	if !d.has(i) {
		return ""
	}
	return d.toks[i].text
}
