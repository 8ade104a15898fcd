package duckling

import "math"

// numMatch is a number found at a token position.
type numMatch struct {
	value float64
	end   int  // token index after the number
	words bool // written with number words ("twenty one")
}

// numberAt returns the number starting at token i, digits or words, with
// an optional sign. Results are cached per position.
func (d *doc) numberAt(i int) (numMatch, bool) {
	if !d.has(i) {
		return numMatch{}, false
	}
	memo := &d.nums[i]
	if !memo.done {
		memo.m, memo.ok = d.signedNumber(i)
		memo.done = true
	}
	return memo.m, memo.ok
}

// signedNumber reads "-5", "minus five" or an unsigned number.
func (d *doc) signedNumber(i int) (numMatch, bool) {
	neg := false
	j := i
	switch {
	case d.is(i, "-") && d.glued(i+1) && !d.gluedToWordOrDigit(i):
		neg, j = true, i+1
	case d.lang.has(d, i, roleMinus):
		neg, j = true, i+1
	}
	m, ok := d.unsignedNumber(j)
	if !ok {
		return numMatch{}, false
	}
	if neg {
		m.value = -m.value
	}
	return m, true
}

// gluedToWordOrDigit reports whether token i touches a word or digits
// before it, as the "-" of "3-4" does.
func (d *doc) gluedToWordOrDigit(i int) bool {
	return d.glued(i) && d.toks[i-1].kind != kindSymbol
}

// unsignedNumber reads digits (with scale words after them) or words.
func (d *doc) unsignedNumber(i int) (numMatch, bool) {
	if m, ok := d.digitNumber(i); ok {
		return d.scaled(m), true
	}
	if m, ok := d.wordNumber(i); ok {
		return m, true
	}
	return numMatch{}, false
}

// digitNumber reads "1,000.5", ".77", "100k", "3/4" (by the language's
// separators) and "1 point 5".
func (d *doc) digitNumber(i int) (numMatch, bool) {
	if d.is(i, ".") && !d.gluedToWordOrDigit(i) && d.glued(i+1) &&
		d.toks[i+1].kind == kindDigits && !d.lang.DecimalComma {
		return d.suffixed(numMatch{value: fraction(d.toks[i+1].text), end: i + 2}), true
	}
	if !d.has(i) || d.toks[i].kind != kindDigits {
		return numMatch{}, false
	}
	if m, ok := d.ratio(i); ok {
		return m, true
	}
	group, decimal := ",", "."
	if d.lang.DecimalComma {
		group, decimal = ".", ","
	}
	value := intValue(d.toks[i].text)
	j := i + 1
	if len(d.toks[i].text) <= 3 {
		for d.is(j, group) && d.glued(j) && d.glued(j+1) &&
			d.toks[j+1].kind == kindDigits && len(d.toks[j+1].text) == 3 {
			value = value*1000 + intValue(d.toks[j+1].text)
			j += 2
		}
	}
	switch {
	case d.is(j, decimal) && d.glued(j) && d.glued(j+1) && d.toks[j+1].kind == kindDigits:
		value += fraction(d.toks[j+1].text)
		j += 2
	case d.lang.has(d, j, rolePoint) && d.has(j+1) && d.toks[j+1].kind == kindDigits:
		value += fraction(d.toks[j+1].text)
		j += 2
	}
	return d.suffixed(numMatch{value: value, end: j}), true
}

// ratio reads "3/4" as 0.75 when it is not part of a date like "3/4/2015".
func (d *doc) ratio(i int) (numMatch, bool) {
	if !d.is(i+1, "/") || !d.glued(i+1) || !d.glued(i+2) {
		return numMatch{}, false
	}
	den, ok := d.digits(i+2, 9)
	if !ok || den == 0 || (d.is(i+3, "/") && d.glued(i+3)) {
		return numMatch{}, false
	}
	return numMatch{value: intValue(d.toks[i].text) / float64(den), end: i + 3}, true
}

// suffixed applies a glued "k", "M" or "G" (thousand, million, billion).
func (d *doc) suffixed(m numMatch) numMatch {
	if !d.glued(m.end) || d.toks[m.end].kind != kindWord {
		return m
	}
	switch d.toks[m.end].raw {
	case "k", "K":
		m.value *= 1e3
	case "M":
		m.value *= 1e6
	case "G":
		m.value *= 1e9
	default:
		return m
	}
	m.end++
	return m
}

// scaled applies scale words after digits: "5 thousand", "2 dozen".
func (d *doc) scaled(m numMatch) numMatch {
	w, next, ok := d.lang.numbers.match(d, m.end)
	if !ok || (w.kind != numScale && w.kind != numHundred && w.kind != numDozen) {
		return m
	}
	m.value *= w.value
	m.end = next
	return m
}

// intValue parses a digit run; long runs lose precision like a float does.
func intValue(s string) float64 {
	v := 0.0
	for _, c := range s {
		v = v*10 + float64(c-'0')
	}
	return v
}

// fraction turns the digits after a decimal separator into a fraction.
func fraction(s string) float64 {
	return intValue(s) / math.Pow(10, float64(len(s)))
}

// numberValue rounds away binary noise so 0.1+0.2 reads 0.3 in JSON.
func numberValue(v float64) float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0
	}
	r := math.Round(v*1e9) / 1e9
	if math.Abs(r) >= 1e15 {
		return v
	}
	return r
}
