package duckling

// newEnglish returns the English rule table.
func newEnglish() *Language {
	l := &Language{Code: "en"}
	l.numbers = newPhrases(englishNumbers())
	l.ordinals = newPhrases(englishOrdinals())
	l.months = newPhrases(englishMonths())
	l.weekdays = newPhrases(englishWeekdays())
	l.grains = newPhrases(englishGrains())
	l.money = newPhrases(englishMoney())
	l.distance = newPhrases(englishDistance())
	l.temp = newPhrases(map[string]string{
		"celsius": "celsius", "c": "celsius", "centigrade": "celsius",
		"fahrenheit": "fahrenheit", "f": "fahrenheit",
	})
	englishTime(l)
	l.words = englishWords()
	l.spokenAt, l.spokenDot = "at", "dot"
	l.index()
	l.ordSuffix = map[string]bool{"st": true, "nd": true, "rd": true, "th": true}
	return l
}

// englishWeekdays maps day names and abbreviations to 1 (Monday)..7.
func englishWeekdays() map[string]int {
	return map[string]int{
		"monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2,
		"wednesday": 3, "wed": 3, "thursday": 4, "thu": 4, "thur": 4,
		"thurs": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6,
		"sunday": 7, "sun": 7, "mondays": 1, "tuesdays": 2,
		"wednesdays": 3, "thursdays": 4, "fridays": 5, "saturdays": 6,
		"sundays": 7,
	}
}

// englishTime fills the tables of relative days, modifiers, parts of the
// day, holidays, am/pm markers and bounds.
func englishTime(l *Language) {
	l.days = newPhrases(map[string]int{
		"today": 0, "tomorrow": 1, "tomorrows": 1, "tmrw": 1, "yesterday": -1,
		"the day after tomorrow": 2, "day after tomorrow": 2,
		"the day before yesterday": -2, "day before yesterday": -2,
	})
	l.mods = newPhrases(map[string]modifier{
		"this": modThis, "current": modThis, "coming": modNext,
		"the coming": modNext, "upcoming": modNext, "next": modNext,
		"the following": modNext, "following": modNext, "last": modLast,
		"past": modLast, "previous": modLast, "the previous": modLast,
		"the last": modLast, "the past": modLast, "the next": modNext,
		"this past": modLast,
	})
	l.pods = newPhrases(map[string]partOfDay{
		"evening": {18, 24, false, false}, "night": {18, 24, false, true},
		"tonight": {18, 24, true, false}, "lunch": {12, 14, false, false},
		"lunchtime": {12, 14, false, false}, "early morning": {4, 9, false, false},
		"afternoonish": {12, 19, false, false}, "morning": {4, 12, false, false},
		"afternoon": {12, 19, false, false},
	})
	l.holidays = newPhrases(map[string]monthDay{
		"christmas": {12, 25}, "xmas": {12, 25}, "christmas day": {12, 25},
		"christmas eve": {12, 24}, "new year's eve": {12, 31},
		"new years eve": {12, 31}, "new year's day": {1, 1},
		"new years day": {1, 1}, "valentine's day": {2, 14},
		"valentines day": {2, 14}, "valentine day": {2, 14},
		"halloween": {10, 31}, "independence day": {7, 4},
		"boxing day": {12, 26},
	})
	l.ampm = newPhrases(map[string]int{
		"am": 0, "a . m .": 0, "a . m": 0, "a": 0, "a m": 0,
		"pm": 12, "p . m .": 12, "p . m": 12, "p": 12, "p m": 12,
		"in the morning": 0, "in the am": 0, "in the afternoon": 12,
		"in afternoon": 12, "in the pm": 12, "in the evening": 12,
	})
	l.monthParts = newPhrases(map[string]int{
		"early": 0, "beginning of": 0, "the beginning of": 0, "start of": 0,
		"the start of": 0, "mid": 1, "middle of": 1, "the middle of": 1,
		"late": 2, "end of": 2, "the end of": 2,
	})
	l.rests = newPhrases(map[string]grain{
		"rest of the week": gWeek, "the rest of the week": gWeek,
		"rest of this week": gWeek, "the rest of this week": gWeek, "rest of week": gWeek,
	})
	l.bounds = newPhrases(map[string]int{
		"under": -1, "less than": -1, "lower than": -1, "below": -1,
		"at most": -1, "no more than": -1, "up to": -1, "fewer than": -1,
		"over": 1, "more than": 1, "above": 1, "at least": 1,
		"greater than": 1, "higher than": 1, "no less than": 1,
	})
}

func englishNumbers() map[string]numWord {
	m := map[string]numWord{
		"zero": {numZero, 0}, "nought": {numZero, 0}, "naught": {numZero, 0},
		"nil": {numZero, 0}, "hundred": {numHundred, 100},
		"hundreds": {numHundred, 100}, "thousand": {numScale, 1e3},
		"thousands": {numScale, 1e3}, "million": {numScale, 1e6},
		"millions": {numScale, 1e6}, "billion": {numScale, 1e9},
		"billions": {numScale, 1e9}, "trillion": {numScale, 1e12},
		"lakh": {numScale, 1e5}, "lakhs": {numScale, 1e5}, "crore": {numScale, 1e7},
		"crores":  {numScale, 1e7},
		"a dozen": {numWhole, 12}, "a dozen of": {numWhole, 12},
		"dozen": {numDozen, 12}, "dozens": {numDozen, 12},
		"a couple": {numWhole, 2}, "a couple of": {numWhole, 2},
		"couple of": {numWhole, 2}, "a pair": {numWhole, 2},
		"a pair of": {numWhole, 2}, "a few": {numWhole, 3},
		"few": {numWhole, 3}, "single": {numWhole, 1},
	}
	units := []string{"one", "two", "three", "four", "five", "six", "seven",
		"eight", "nine"}
	for i, w := range units {
		m[w] = numWord{numUnit, float64(i + 1)}
	}
	teens := []string{"ten", "eleven", "twelve", "thirteen", "fourteen",
		"fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	for i, w := range teens {
		m[w] = numWord{numTeen, float64(i + 10)}
	}
	tens := []string{"twenty", "thirty", "forty", "fifty", "sixty",
		"seventy", "eighty", "ninety"}
	for i, w := range tens {
		m[w] = numWord{numTens, float64(20 + 10*i)}
	}
	m["fourty"] = numWord{numTens, 40}
	return m
}

func englishOrdinals() map[string]int {
	m := map[string]int{}
	words := []string{"first", "second", "third", "fourth", "fifth", "sixth",
		"seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth",
		"thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
		"eighteenth", "nineteenth"}
	for i, w := range words {
		m[w] = i + 1
	}
	tens := []string{"twentieth", "thirtieth", "fortieth", "fiftieth",
		"sixtieth", "seventieth", "eightieth", "ninetieth"}
	for i, w := range tens {
		m[w] = 20 + 10*i
	}
	m["hundredth"] = 100
	m["thousandth"] = 1000
	return m
}

func englishMonths() map[string]int {
	return map[string]int{
		"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3,
		"mar": 3, "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6,
		"july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
		"sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
		"nov": 11, "december": 12, "dec": 12,
	}
}

func englishGrains() map[string]grain {
	return map[string]grain{
		"second": gSecond, "seconds": gSecond, "sec": gSecond,
		"secs": gSecond, "s": gSecond, "minute": gMinute,
		"minutes": gMinute, "min": gMinute, "mins": gMinute,
		"m": gMinute, "'": gMinute, "\"": gSecond, "hour": gHour, "hours": gHour,
		"hr": gHour, "hrs": gHour, "h": gHour, "day": gDay, "days": gDay,
		"week": gWeek, "weeks": gWeek, "wk": gWeek, "wks": gWeek,
		"month": gMonth, "months": gMonth, "mo": gMonth, "quarter": gQuarter,
		"quarters": gQuarter, "qtr": gQuarter, "qtrs": gQuarter,
		"year": gYear, "years": gYear, "yr": gYear, "yrs": gYear,
	}
}

func englishMoney() map[string]string {
	m := symbolMoney()
	for k, v := range map[string]string{
		"dollar": "$", "dollars": "$", "us dollars": "USD", "us dollar": "USD",
		"euro": "EUR", "euros": "EUR", "€ur": "EUR", "pound": "£", "pounds": "£",
		"pound sterling": "GBP", "pounds sterling": "GBP", "cent": "cent",
		"cents": "cent", "c": "cent", "penny": "cent", "pennies": "cent",
		"pence": "cent", "buck": "unknown", "bucks": "unknown", "yen": "JPY",
		"rupee": "INR", "rupees": "INR", "rs": "INR", "rs .": "INR",
		"yuan": "CNY", "won": "KRW", "ruble": "RUB", "rubles": "RUB",
		"shekel": "ILS", "shekels": "ILS", "ringgit": "MYR", "dinar": "dinar",
		"dinars": "dinar", "dirham": "dirham", "dirhams": "dirham",
		"rial": "rial", "rials": "rial", "riyal": "riyal", "riyals": "riyal",
		"kuwaiti dinar": "KWD", "kuwaiti dinars": "KWD", "lebanese pound": "LBP",
		"lebanese pounds": "LBP", "egyptian pound": "EGP", "egyptian pounds": "EGP",
		"qatari riyal": "QAR", "qatari riyals": "QAR", "saudi riyal": "SAR",
		"saudi riyals": "SAR", "malaysian ringgit": "MYR", "malaysia ringgit": "MYR",
		"ringgits": "MYR", "rm": "MYR", "canadian dollars": "CAD",
		"australian dollars": "AUD", "swiss francs": "CHF", "chf": "CHF",
	} {
		m[k] = v
	}
	return m
}

func englishDistance() map[string]string {
	return map[string]string{
		"km": "kilometre", "kms": "kilometre", "kilometer": "kilometre",
		"kilometers": "kilometre", "kilometre": "kilometre",
		"kilometres": "kilometre", "k": "kilometre", "mi": "mile",
		"mile": "mile", "miles": "mile", "m": "m", "meter": "metre",
		"meters": "metre", "metre": "metre", "metres": "metre",
		"cm": "centimetre", "centimeter": "centimetre",
		"centimeters": "centimetre", "centimetre": "centimetre",
		"centimetres": "centimetre", "mm": "millimetre",
		"millimeter": "millimetre", "millimeters": "millimetre",
		"millimetre": "millimetre", "millimetres": "millimetre",
		"ft": "foot", "foot": "foot", "feet": "foot", "'": "foot",
		"in": "inch", "inch": "inch", "inches": "inch",
		"' '": "inch", "\"": "inch", "yd": "yard", "yds": "yard",
		"yard": "yard", "yards": "yard",
	}
}

func englishWords() map[role][]string {
	return map[role][]string{
		roleAnd: {"and"}, rolePoint: {"point", "dot"},
		roleMinus: {"minus", "negative"}, roleAt: {"at", "@"},
		roleOn: {"on"}, roleIn: {"in", "during"}, roleOf: {"of", "in"},
		roleThe: {"the"}, roleAgo: {"ago", "back"},
		roleHence: {"hence", "later"}, roleFrom: {"from"},
		roleTo: {"to", "till", "til", "until", "untill", "through", "thru",
			"-", "–"},
		roleBetween: {"between"}, roleAfter: {"after", "since", "from"},
		roleBefore: {"before", "until", "till", "til", "through", "thru"},
		roleBy:     {"by"}, roleAbout: {"around", "about", "approximately",
			"approx", "roughly", "exactly"},
		rolePast: {"past", "after"}, roleTill: {"to", "till", "before", "of"},
		roleHalf: {"half"}, roleQuarter: {"quarter"},
		roleNoon: {"noon", "midday"}, roleMidnight: {"midnight"},
		roleOClock: {"o'clock", "oclock"}, roleNow: {"now"},
		roleWeek: {"week"}, roleWeekend: {"weekend", "week-end", "wkend"},
		roleDegree:   {"degrees", "degree", "deg", "°"},
		roleCents:    {"cents", "cent", "c", "¢", "pence", "p"},
		roleAfterNxt: {"after"}, roleLastOf: {"last"}, roleA: {"a", "an", "one"},
		roleWithin: {"within"},
	}
}
