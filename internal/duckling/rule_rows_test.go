package duckling

// ruleRows check the general rules that fixed the blind table's known
// failures on other expressions than the blind rows, so each rule is
// tested beyond the case that called for it. Times resolve against
// tableRef(), Tuesday 2013-02-12 04:30 at UTC-2.
func ruleRows() []tableCase {
	return []tableCase{
		// Hundreds left unsaid, Indian scale words.
		whole("nine ninety nine", "number", "999", ""),
		whole("two crore", "number", "20000000", ""),
		whole("5 lakhs", "number", "500000", ""),
		// A duration from, after or before a time, at the time's grain.
		whole("2 days after christmas", "time", ts("2013-12-27"), "day"),
		whole("a week before christmas", "time", ts("2013-12-18"), "day"),
		whole("3 days from tomorrow", "time", ts("2013-02-16"), "day"),
		// A day of a relative month; the latest past one when it is over.
		whole("the 5th of last month", "time", ts("2013-01-05"), "day"),
		whole("the 3rd of this month", "time", ts("2013-02-03"), "day"),
		// "last night" is yesterday's night.
		whole("last night at 11", "time", ts("2013-02-11T23:00"), "hour"),
		// A bare hour before a day word.
		whole("10 today", "time", ts("2013-02-12T10:00"), "hour"),
		// Thirds of a month.
		whole("beginning of next month", "time", iv("2013-03-01", "2013-03-11"), "day"),
		whole("mid April", "time", iv("2013-04-11", "2013-04-21"), "day"),
		whole("late last month", "time", iv("2013-01-21", "2013-02-01"), "day"),
		whole("the rest of this week", "time", iv("2013-02-12", "2013-02-17"), "day"),
		// From now until the end of a duration.
		whole("within 3 days", "time", iv("2013-02-12T04:30", "2013-02-15T04:00"), "second"),
		// A closed interval ends one unit of its finer grain after its end.
		whole("10:15 to 11am", "time", iv("2013-02-12T10:15", "2013-02-12T11:01"), "minute"),
		// A chain of digit groups is no time, nor any part of it.
		none("call 555-123-4567", "time"),
		none("my code is 12-34-56", "time"),
		// Spoken addresses need a top-level domain of letters.
		whole("bob dot smith at mail dot co dot uk", "email", `"bob.smith@mail.co.uk"`, ""),
		at("write to sales at acme.com today", "sales at acme.com", "email",
			`"sales@acme.com"`, ""),
		none("see you at 10.30", "email"),
		// Distances of one system add up in the smaller unit.
		whole("5 feet 2 inches", "distance", "62", "inch"),
		whole("3 km and 200 metres", "distance", "3200", "metre"),
		at("1 mile and 5 km", "1 mile", "distance", "1", "mile"),
	}
}
