package duckling

// numericDate reads dates written with digits: "2015-03-03", "3/3/2015",
// "3/3/15", "2/15", "2/2013", "10.31.1974". Month and day follow the
// locale: month first in en_US, day first where dayFirst is set.
func (d *doc) numericDate(i int) (timeSpec, int, bool) {
	parts, seps, end := d.digitGroups(i)
	switch {
	case len(parts) == 3 && len(d.toks[i].text) == 4 && seps != ".":
		return d.checkedDate(parts[0], parts[1], parts[2], end)
	case len(parts) == 3 && len(d.toks[i].text) <= 2:
		m, day := parts[0], parts[1]
		if d.dayFirst {
			m, day = day, m
		}
		y := parts[2]
		if yl := len(d.toks[end-1].text); yl == 2 {
			y = twoDigitYear(y)
		} else if yl != 4 {
			return timeSpec{}, 0, false
		}
		return d.checkedDate(y, m, day, end)
	case len(parts) == 2 && seps == "/" && len(d.toks[end-1].text) == 4:
		if parts[0] < 1 || parts[0] > 12 {
			return timeSpec{}, 0, false
		}
		return dateSpec(parts[1], parts[0], 1), end, true
	case len(parts) == 2 && seps == "/" && len(d.toks[i].text) <= 2:
		m, day := parts[0], parts[1]
		if d.dayFirst {
			m, day = day, m
		}
		return d.checkedDate(0, m, day, end)
	}
	return timeSpec{}, 0, false
}

// digitGroups reads digit runs joined by one kind of glued separator
// ("/", "-" or "."), at most three; it returns them, the separator and the
// index after the last run.
func (d *doc) digitGroups(i int) ([]int, string, int) {
	first, ok := d.digits(i, 4)
	if !ok {
		return nil, "", i
	}
	parts, sep, j := []int{first}, "", i+1
	for len(parts) < 3 && d.is(j, "/", "-", ".") && d.glued(j) && d.glued(j+1) {
		if sep != "" && d.toks[j].text != sep {
			break
		}
		v, ok := d.digits(j+1, 4)
		if !ok {
			break
		}
		sep = d.toks[j].text
		parts = append(parts, v)
		j += 2
	}
	if d.glued(j) && d.has(j) && (d.toks[j].kind == kindDigits || d.is(j, "/", "-")) {
		return nil, "", i // part of something longer
	}
	return parts, sep, j
}

// checkedDate builds a date spec when the fields form a real date.
func (d *doc) checkedDate(y, m, day, end int) (timeSpec, int, bool) {
	if m < 1 || m > 12 || day < 1 || day > 31 {
		return timeSpec{}, 0, false
	}
	leapYear := 2012
	if y != 0 {
		leapYear = y
	}
	if day > daysIn(leapYear, monthOf(m)) {
		return timeSpec{}, 0, false
	}
	return dateSpec(y, m, day), end, true
}

// twoDigitYear maps 00..49 to 2000..2049 and 50..99 to 1950..1999.
func twoDigitYear(y int) int {
	if y < 50 {
		return 2000 + y
	}
	return 1900 + y
}
