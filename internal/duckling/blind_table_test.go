package duckling

// blindTable is the second half of the expression table, written from
// Duckling's documented outputs by someone who has not read this
// package's code. Each row is a tableCase (see table_test.go):
//
//		{text, dim, start, end, value, unit}
//
//	  - text: the message;
//	  - dim: the one dimension extracted ("number", "ordinal",
//	    "amount-of-money", "time", "duration", "email", "url",
//	    "phone-number", "distance", "temperature");
//	  - start, end: the entity's code point span (start -1: dim must find
//	    nothing in text);
//	  - value: the entity value Rasa shows, as JSON: 21, 3.5, "a@b.io",
//	    "2013-02-13T09:00:00.000-02:00", {"from": "...", "to": "..."}, and
//	    for amounts, distances and temperatures with a range
//	    {"from": 10, "to": 20} (null for an open side);
//	  - unit: optional; the time grain ("hour", "day", ...) or the unit
//	    ("$", "EUR", "kilometre", "celsius", "minute" for durations).
//
// Times resolve against tableRef(): Tuesday 2013-02-12 04:30:00 at UTC-2,
// the reference time of Duckling's own corpus, so its documented outputs
// can be copied as they are. The helpers ts and iv of
// duckling_table_test.go may be used for time values.
func blindTable() []tableCase {
	return []tableCase{}
}
