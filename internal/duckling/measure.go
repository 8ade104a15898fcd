package duckling

// distanceKind is distance: "5 km", "3 miles", "2cm", "between 3 and 5 km".
func distanceKind() *quantityKind {
	return &quantityKind{dim: DimDistance, after: distanceUnit, typedParts: true,
		sizes: distanceSizes()}
}

// distanceSizes are the distance units that add up ("5 feet 2 inches"), in
// millimetres or inches. "m" is left out: it may be miles or metres.
func distanceSizes() map[string]unitSize {
	return map[string]unitSize{
		"kilometre": {"metric", 1e6}, "metre": {"metric", 1e3},
		"centimetre": {"metric", 10}, "millimetre": {"metric", 1},
		"mile": {"imperial", 63360}, "yard": {"imperial", 36},
		"foot": {"imperial", 12}, "inch": {"imperial", 1},
	}
}

// distanceUnit reads a distance unit; one-letter units and quote marks
// must touch the number ("9m", "5”"), and "in" counts as inches only when
// no word follows it, so "5 in the evening" is no distance.
func distanceUnit(d *doc, i int) (string, int, bool) {
	unit, j, ok := d.lang.distance.match(d, i)
	if !ok {
		return "", 0, false
	}
	short := singleLetter(d, i) || d.toks[i].kind == kindSymbol
	if short && !d.glued(i) {
		return "", 0, false
	}
	if unit == "inch" && d.is(i, "in") && d.has(j) && d.toks[j].kind != kindSymbol {
		return "", 0, false
	}
	return unit, j, true
}

// temperatureKind is temperature: "70 degrees", "20°C", "2 below zero".
func temperatureKind() *quantityKind {
	return &quantityKind{
		dim: DimTemperature, after: temperatureUnit, typedParts: true,
		tail: belowZero,
	}
}

// temperatureUnit reads "°", "degrees", "deg.", a scale after them, or a
// scale alone ("seventy fahrenheit", "80F"). "below zero" alone counts as
// degrees, read by belowZero.
func temperatureUnit(d *doc, i int) (string, int, bool) {
	j, deg := i, false
	switch {
	case d.is(j, "°"):
		j, deg = j+1, true
	case d.lang.has(d, j, roleDegree):
		j, deg = d.skipDot(j+1), true
	}
	if scale, k, ok := d.lang.temp.match(d, j); ok {
		if !singleLetter(d, j) || deg || d.glued(j) {
			return scale, k, true
		}
	}
	if deg {
		return "degree", j, true
	}
	if d.is(i, "below") && d.is(i+1, "zero") {
		return "degree", i, true
	}
	return "", 0, false
}

// belowZero turns "2 degrees below zero" into -2.
func belowZero(d *doc, q quantity) quantity {
	if d.is(q.end, "below") && d.is(q.end+1, "zero") && q.value > 0 {
		q.value = -q.value
		q.end += 2
	}
	return q
}
