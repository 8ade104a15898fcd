package duckling

// The time rows of the blind table (see blindTable): their values are the
// ones Duckling's English time corpus documents for the reference time
// Tuesday 2013-02-12 04:30 at UTC-2.

// blindDayRows are dates and days, resolved against Tuesday 2013-02-12.
func blindDayRows() []tableCase {
	const d = "time"
	return []tableCase{
		blindWhole("now", d, ts("2013-02-12T04:30"), "second"),
		blindWhole("right now", d, ts("2013-02-12T04:30"), "second"),
		blindWhole("today", d, ts("2013-02-12"), "day"),
		blindWhole("yesterday", d, ts("2013-02-11"), "day"),
		blindWhole("tomorrow", d, ts("2013-02-13"), "day"),
		blindWhole("monday", d, ts("2013-02-18"), "day"),
		blindWhole("this monday", d, ts("2013-02-18"), "day"),
		blindWhole("tuesday", d, ts("2013-02-19"), "day"),
		blindWhole("thursday", d, ts("2013-02-14"), "day"),
		blindWhole("fri", d, ts("2013-02-15"), "day"),
		blindWhole("saturday", d, ts("2013-02-16"), "day"),
		blindWhole("sunday", d, ts("2013-02-17"), "day"),
		blindWhole("the 1st of march", d, ts("2013-03-01"), "day"),
		blindWhole("march first", d, ts("2013-03-01"), "day"),
		blindWhole("march 3rd 2015", d, ts("2015-03-03"), "day"),
		blindWhole("3/3/2015", d, ts("2015-03-03"), "day"),
		blindWhole("2015-03-03", d, ts("2015-03-03"), "day"),
		blindWhole("the 15th of february", d, ts("2013-02-15"), "day"),
		blindWhole("15th february", d, ts("2013-02-15"), "day"),
		blindWhole("Aug 8", d, ts("2013-08-08"), "day"),
		blindWhole("Fri, Jul 18", d, ts("2014-07-18"), "day"),
		blindWhole("October 2014", d, ts("2014-10-01"), "month"),
		blindWhole("April 14, 2015", d, ts("2015-04-14"), "day"),
		blindWhole("next tuesday", d, ts("2013-02-19"), "day"),
		blindWhole("next wednesday", d, ts("2013-02-13"), "day"),
		blindWhole("next monday", d, ts("2013-02-18"), "day"),
		blindWhole("friday after next", d, ts("2013-02-22"), "day"),
		blindWhole("next March", d, ts("2013-03-01"), "month"),
		blindWhole("this week", d, ts("2013-02-11"), "week"),
		blindWhole("last week", d, ts("2013-02-04"), "week"),
		blindWhole("next week", d, ts("2013-02-18"), "week"),
		blindWhole("last month", d, ts("2013-01-01"), "month"),
		blindWhole("next month", d, ts("2013-03-01"), "month"),
		blindWhole("this quarter", d, ts("2013-01-01"), "quarter"),
		blindWhole("next quarter", d, ts("2013-04-01"), "quarter"),
		blindWhole("last year", d, ts("2012-01-01"), "year"),
		blindWhole("next year", d, ts("2014-01-01"), "year"),
		blindWhole("last sunday", d, ts("2013-02-10"), "day"),
		blindWhole("last tuesday", d, ts("2013-02-05"), "day"),
		blindWhole("wednesday of next week", d, ts("2013-02-20"), "day"),
		blindWhole("the day after tomorrow", d, ts("2013-02-14"), "day"),
		blindWhole("the day before yesterday", d, ts("2013-02-10"), "day"),
		blindWhole("last Monday of March", d, ts("2013-03-25"), "day"),
		blindWhole("first tuesday of october", d, ts("2013-10-01"), "day"),
		blindWhole("in March", d, ts("2013-03-01"), "month"),
		blindWhole("christmas", d, ts("2013-12-25"), "day"),
		blindWhole("new year's eve", d, ts("2013-12-31"), "day"),
		blindWhole("valentine's day", d, ts("2013-02-14"), "day"),
		blindWhole("halloween", d, ts("2013-10-31"), "day"),
		blindWhole("4th of July", d, ts("2013-07-04"), "day"),
		blindAt("are you free next friday?", "next friday", d, ts("2013-02-15"), "day"),
		blindAt("I was sick last week", "last week", d, ts("2013-02-04"), "week"),
		blindAt("March 3 works for me", "March 3", d, ts("2013-03-03"), "day"),
	}
}

// blindClockRows are times of day, alone or on a day.
func blindClockRows() []tableCase {
	const d = "time"
	return []tableCase{
		blindWhole("at 3am", d, ts("2013-02-13T03:00"), "hour"),
		blindWhole("3:18am", d, ts("2013-02-13T03:18"), "minute"),
		blindWhole("at 3pm", d, ts("2013-02-12T15:00"), "hour"),
		blindWhole("3pm", d, ts("2013-02-12T15:00"), "hour"),
		blindWhole("3:15pm", d, ts("2013-02-12T15:15"), "minute"),
		blindWhole("15:15", d, ts("2013-02-12T15:15"), "minute"),
		blindWhole("a quarter past 3pm", d, ts("2013-02-12T15:15"), "minute"),
		blindWhole("half past 3 pm", d, ts("2013-02-12T15:30"), "minute"),
		blindWhole("3:30pm", d, ts("2013-02-12T15:30"), "minute"),
		blindWhole("15:23:24", d, ts("2013-02-12T15:23:24"), "second"),
		blindWhole("11:45am", d, ts("2013-02-12T11:45"), "minute"),
		blindWhole("a quarter to noon", d, ts("2013-02-12T11:45"), "minute"),
		blindWhole("8 tonight", d, ts("2013-02-12T20:00"), "hour"),
		blindWhole("at 8 in the evening", d, ts("2013-02-12T20:00"), "hour"),
		blindWhole("at 9am on Saturday", d, ts("2013-02-16T09:00"), "hour"),
		blindWhole("at 7:30 PM on Fri, Sep 20", d, ts("2013-09-20T19:30"), "minute"),
		blindWhole("day after tomorrow 5pm", d, ts("2013-02-14T17:00"), "hour"),
		blindWhole("today at 2pm", d, ts("2013-02-12T14:00"), "hour"),
		blindWhole("3pm tomorrow", d, ts("2013-02-13T15:00"), "hour"),
		blindWhole("tomorrow at 5pm", d, ts("2013-02-13T17:00"), "hour"),
		blindWhole("at noon", d, ts("2013-02-12T12:00"), "hour"),
		blindWhole("at midnight", d, ts("2013-02-13T00:00"), "hour"),
		blindWhole("at 1030", d, ts("2013-02-12T10:30"), "minute"),
		blindWhole("seven thirty p.m.", d, ts("2013-02-12T19:30"), "minute"),
		blindWhole("tonight at 11", d, ts("2013-02-12T23:00"), "hour"),
		blindWhole("at 4:23", d, ts("2013-02-12T04:23"), "minute"),
		blindWhole("at 1:30pm", d, ts("2013-02-12T13:30"), "minute"),
		blindAt("call me at 3pm", "at 3pm", d, ts("2013-02-12T15:00"), "hour"),
		blindAt("let's meet tomorrow at 9", "tomorrow at 9", d, ts("2013-02-13T09:00"), "hour"),
	}
}

// blindRelativeRows are instants counted from the reference time.
func blindRelativeRows() []tableCase {
	const d = "time"
	return []tableCase{
		blindWhole("in a minute", d, ts("2013-02-12T04:31"), "second"),
		blindWhole("in 2 minutes", d, ts("2013-02-12T04:32"), "second"),
		blindWhole("in three minutes", d, ts("2013-02-12T04:33"), "second"),
		blindWhole("in 15 minutes", d, ts("2013-02-12T04:45"), "second"),
		blindWhole("in half an hour", d, ts("2013-02-12T05:00"), "second"),
		blindWhole("in 2.5 hours", d, ts("2013-02-12T07:00"), "second"),
		blindWhole("in one hour", d, ts("2013-02-12T05:30"), "minute"),
		blindWhole("in 24 hours", d, ts("2013-02-13T04:30"), "minute"),
		blindWhole("in a day", d, ts("2013-02-13T04:00"), "hour"),
		blindWhole("in 7 days", d, ts("2013-02-19T04:00"), "hour"),
		blindWhole("in a week", d, ts("2013-02-19"), "day"),
		blindWhole("7 days ago", d, ts("2013-02-05T04:00"), "hour"),
		blindWhole("a week ago", d, ts("2013-02-05"), "day"),
		blindWhole("three weeks ago", d, ts("2013-01-22"), "day"),
		blindWhole("three months ago", d, ts("2012-11-12"), "day"),
		blindWhole("two years ago", d, ts("2011-02-01"), "month"),
		blindAt("remind me in 2 hours", "in 2 hours", d, ts("2013-02-12T06:30"), "minute"),
		blindNone("laughing out loud", d), blindNone("1 adult", d),
		blindNone("we are separated", d), blindNone("25", d),
		blindNone("three twenty", d),
	}
}

// blindIntervalRows are time spans; "to" is Duckling's exclusive end.
func blindIntervalRows() []tableCase {
	const d = "time"
	return []tableCase{
		blindWhole("tonight", d, iv("2013-02-12T18:00", "2013-02-13T00:00"), "hour"),
		blindWhole("this evening", d, iv("2013-02-12T18:00", "2013-02-13T00:00"), "hour"),
		blindWhole("tomorrow evening", d, iv("2013-02-13T18:00", "2013-02-14T00:00"), "hour"),
		blindWhole("this morning", d, iv("2013-02-12T04:00", "2013-02-12T12:00"), "hour"),
		blindWhole("tomorrow afternoon", d, iv("2013-02-13T12:00", "2013-02-13T19:00"), "hour"),
		blindWhole("in the afternoon", d, iv("2013-02-12T12:00", "2013-02-12T19:00"), "hour"),
		blindWhole("this past weekend", d, iv("2013-02-08T18:00", "2013-02-11T00:00"), "hour"),
		blindWhole("this week-end", d, iv("2013-02-15T18:00", "2013-02-18T00:00"), "hour"),
		blindWhole("monday morning", d, iv("2013-02-18T04:00", "2013-02-18T12:00"), "hour"),
		blindWhole("last 2 days", d, iv("2013-02-10", "2013-02-12"), "day"),
		blindWhole("next 3 days", d, iv("2013-02-13", "2013-02-16"), "day"),
		blindWhole("next 3 hours", d, iv("2013-02-12T05:00", "2013-02-12T08:00"), "hour"),
		blindWhole("last 2 weeks", d, iv("2013-01-28", "2013-02-11"), "week"),
		blindWhole("next 3 months", d, iv("2013-03-01", "2013-06-01"), "month"),
		blindWhole("July 13-15", d, iv("2013-07-13", "2013-07-16"), "day"),
		blindWhole("from 13 to 15 July", d, iv("2013-07-13", "2013-07-16"), "day"),
		blindWhole("Aug 8 - Aug 12", d, iv("2013-08-08", "2013-08-13"), "day"),
		blindWhole("9:30 - 11:00", d, iv("2013-02-12T09:30", "2013-02-12T11:01"), "minute"),
		blindWhole("3-4pm", d, iv("2013-02-12T15:00", "2013-02-12T17:00"), "hour"),
		blindWhole("between 9:30 and 11:00 on thursday", d,
			iv("2013-02-14T09:30", "2013-02-14T11:01"), "minute"),
		blindWhole("8am - 1pm", d, iv("2013-02-12T08:00", "2013-02-12T14:00"), "hour"),
		blindWhole("1pm-2pm tomorrow", d, iv("2013-02-13T13:00", "2013-02-13T15:00"), "hour"),
		blindWhole("this Thu 9-11am", d, iv("2013-02-14T09:00", "2013-02-14T12:00"), "hour"),
		blindWhole("after 2 pm", d, iv("2013-02-12T14:00", ""), "hour"),
		blindWhole("since 2pm", d, iv("2013-02-12T14:00", ""), "hour"),
		blindWhole("until 2:00pm", d, iv("", "2013-02-12T14:00"), "minute"),
		blindWhole("before 11 am", d, iv("", "2013-02-12T11:00"), "hour"),
		blindWhole("by 2:00pm", d, iv("2013-02-12T04:30", "2013-02-12T14:00"), "second"),
		blindAt("she arrived yesterday evening", "yesterday evening", d,
			iv("2013-02-11T18:00", "2013-02-12T00:00"), "hour"),
	}
}
