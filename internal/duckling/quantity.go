package duckling

// quantity is a number with a unit over tokens [start, end).
type quantity struct {
	value      float64
	unit       string
	start, end int
}

// unitReader reads a unit at token i and returns it with the index after.
type unitReader func(d *doc, i int) (string, int, bool)

// quantityKind describes one dimension of number-with-unit values.
type quantityKind struct {
	dim        string
	before     unitReader // unit written before the number ("$5"); may be nil
	after      unitReader // unit written after the number ("5 km")
	typedParts bool       // interval sides carry "type":"value" (distance, temperature)
	tail       func(d *doc, q quantity) quantity
	// sizes give each unit's size in the smallest unit of its system, for
	// sums such as "7 feet and 10 inches"; nil when the kind has none.
	sizes map[string]unitSize
}

// scanQuantities finds every value of kind k, single or interval.
func (d *doc) scanQuantities(k *quantityKind) []match {
	var out []match
	for i := range d.toks {
		if m, ok := d.quantityRange(k, i); ok {
			out = append(out, m)
			continue
		}
		if q, ok := d.aboutQuantity(k, i); ok {
			q = d.composed(k, q)
			info := map[string]any{"type": "value", "value": numberValue(q.value), "unit": q.unit}
			out = append(out, d.tokenMatch(k.dim, i, q.end, numberValue(q.value), info))
		}
	}
	return out
}

// composed extends q with smaller units of the same system that follow it,
// joined by "and", a comma or nothing: "7 feet and 10 inches" is 94
// inches, "2 km and 1 meter" 2001 metres, as Duckling adds them up.
func (d *doc) composed(k *quantityKind, q quantity) quantity {
	for k.sizes != nil {
		j := q.end
		if d.lang.has(d, j, roleAnd) || d.is(j, ",") {
			j++
		}
		next, ok := d.quantityAt(k, j)
		if !ok {
			break
		}
		big, okBig := k.sizes[q.unit]
		small, okSmall := k.sizes[next.unit]
		if !okBig || !okSmall || big.system != small.system || big.size <= small.size {
			break
		}
		q.value = q.value*(big.size/small.size) + next.value
		q.unit, q.end = next.unit, next.end
	}
	return q
}

// unitSize is a unit's size in the smallest unit of its system.
type unitSize struct {
	system string
	size   float64
}

// aboutQuantity reads a quantity after an optional "about"/"around".
func (d *doc) aboutQuantity(k *quantityKind, i int) (quantity, bool) {
	if d.lang.has(d, i, roleAbout) {
		if q, ok := d.quantityAt(k, i+1); ok {
			q.start = i
			return q, true
		}
	}
	return d.quantityAt(k, i)
}

// quantityAt reads "<unit> <number>" or "<number> <unit>" at token i.
func (d *doc) quantityAt(k *quantityKind, i int) (quantity, bool) {
	if k.before != nil {
		if unit, j, ok := k.before(d, i); ok {
			if n, ok := d.numberAt(j); ok {
				return k.finish(d, quantity{n.value, unit, i, n.end}), true
			}
		}
	}
	n, ok := d.numberAt(i)
	if !ok {
		if !d.lang.has(d, i, roleA) || d.is(i, "one") {
			return quantity{}, false
		}
		n = numMatch{value: 1, end: i + 1}
	}
	unit, j, ok := k.after(d, n.end)
	if !ok {
		return quantity{}, false
	}
	return k.finish(d, quantity{n.value, unit, i, j}), true
}

func (k *quantityKind) finish(d *doc, q quantity) quantity {
	if k.tail != nil {
		return k.tail(d, q)
	}
	return q
}

// quantityRange reads "between 3 and 5 km", "from $10 to $20", "10-20
// dollars", "under 7 euros", "at least 5 miles".
func (d *doc) quantityRange(k *quantityKind, i int) (match, bool) {
	if dir, j, ok := d.lang.bounds.match(d, i); ok {
		q, ok := d.quantityAt(k, j)
		if !ok {
			return match{}, false
		}
		return d.openRange(k, i, q, dir), true
	}
	start := i
	if d.lang.has(d, i, roleAbout) {
		i++
	}
	sep := roleTo
	switch {
	case d.lang.has(d, i, roleBetween):
		sep, i = roleAnd, i+1
	case d.lang.has(d, i, roleFrom):
		i++
	}
	return d.closedRange(k, start, i, sep)
}

// closedRange reads "<low> sep <high>" where low may lack the unit.
func (d *doc) closedRange(k *quantityKind, start, i int, sep role) (match, bool) {
	low, lowUnit := quantity{}, false
	if q, ok := d.quantityAt(k, i); ok {
		low, lowUnit = q, true
	} else if n, ok := d.numberAt(i); ok {
		low = quantity{value: n.value, start: i, end: n.end}
	} else {
		return match{}, false
	}
	if !d.lang.has(d, low.end, sep) {
		return match{}, false
	}
	high, ok := d.quantityAt(k, low.end+1)
	if !ok || (lowUnit && low.unit != high.unit) || low.value >= high.value {
		return match{}, false
	}
	from := d.boundSide(k, low.value, high.unit)
	to := d.boundSide(k, high.value, high.unit)
	info := map[string]any{"type": "interval", "from": from, "to": to}
	value := map[string]any{"from": numberValue(low.value), "to": numberValue(high.value)}
	return d.tokenMatch(k.dim, start, high.end, value, info), true
}

// openRange builds "under X" (dir -1) or "over X" (dir +1).
func (d *doc) openRange(k *quantityKind, start int, q quantity, dir int) match {
	side := d.boundSide(k, q.value, q.unit)
	info := map[string]any{"type": "interval"}
	value := map[string]any{"from": nil, "to": nil}
	key := "to"
	if dir > 0 {
		key = "from"
	}
	info[key] = side
	value[key] = numberValue(q.value)
	return d.tokenMatch(k.dim, start, q.end, value, info)
}

func (d *doc) boundSide(k *quantityKind, v float64, unit string) map[string]any {
	m := map[string]any{"value": numberValue(v), "unit": unit}
	if k.typedParts {
		m["type"] = "value"
	}
	return m
}

// moneyKind is amount-of-money: "$20", "20 dollars", "€5.50", "ten bucks".
func moneyKind() *quantityKind {
	return &quantityKind{
		dim: DimMoney,
		before: func(d *doc, i int) (string, int, bool) {
			unit, j, ok := d.lang.money.match(d, i)
			if !ok || unit == "cent" {
				return "", 0, false
			}
			return unit, j, true
		},
		after: func(d *doc, i int) (string, int, bool) {
			unit, j, ok := d.lang.money.match(d, i)
			if ok && j == i+1 && singleLetter(d, i) && (!d.glued(i) || d.toks[i].raw == "C") {
				return "", 0, false // a lone letter only when glued: "10c"; "30C" is hot
			}
			return unit, j, ok
		},
		tail: moneyCents,
	}
}

// moneyCents adds "and 43 cents" after a whole amount.
func moneyCents(d *doc, q quantity) quantity {
	if q.unit == "cent" || q.unit == "unknown" {
		return q
	}
	j := q.end
	and := d.lang.has(d, j, roleAnd)
	if and {
		j++
	}
	n, ok := d.numberAt(j)
	if !ok || n.value < 0 || n.value >= 100 || n.value != float64(int(n.value)) {
		return q
	}
	switch {
	case d.lang.has(d, n.end, roleCents):
		q.end = n.end + 1
	case and && !d.has(n.end):
		q.end = n.end
	default:
		return q
	}
	q.value += n.value / 100
	return q
}

// singleLetter reports whether token i is a one-letter word.
func singleLetter(d *doc, i int) bool {
	return d.toks[i].kind == kindWord && len([]rune(d.toks[i].text)) == 1
}
