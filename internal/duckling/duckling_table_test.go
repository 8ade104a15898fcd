package duckling

import (
	"strings"
	"unicode/utf8"
)

// ownTable is the half of the expression table written with the
// extractors, from Duckling's corpus and documented outputs. Times resolve
// against tableRef(), Tuesday 2013-02-12 04:30 at UTC-2.
func ownTable() []tableCase {
	var all []tableCase
	for _, part := range [][]tableCase{numberRows(), ordinalRows(), moneyRows(),
		timeRows(), clockRows(), relativeRows(), timeRangeRows(), durationRows(),
		emailRows(), urlRows(),
		phoneRows(), distanceRows(), temperatureRows(), ruleRows()} {
		all = append(all, part...)
	}
	return all
}

// whole is a row whose entity covers all of text.
func whole(text, dim, value, unit string) tableCase {
	return tableCase{text, dim, 0, utf8.RuneCountInString(text), value, unit}
}

// at is a row whose entity covers the first occurrence of sub in text.
func at(text, sub, dim, value, unit string) tableCase {
	i := strings.Index(text, sub)
	if i < 0 {
		panic("table row: " + sub + " not in " + text)
	}
	s := utf8.RuneCountInString(text[:i])
	return tableCase{text, dim, s, s + utf8.RuneCountInString(sub), value, unit}
}

// none is a row where dim must find nothing.
func none(text, dim string) tableCase { return tableCase{text, dim, -1, -1, "", ""} }

// ts is the JSON of a time in the table's zone: ts("2013-02-13T09:00").
func ts(local string) string {
	if len(local) == len("2006-01-02") {
		local += "T00:00"
	}
	if len(local) == len("2006-01-02T15:04") {
		local += ":00"
	}
	return `"` + local + `.000-02:00"`
}

// iv is the JSON of a time interval; "" leaves a side open (null).
func iv(from, to string) string {
	side := func(s string) string {
		if s == "" {
			return "null"
		}
		return ts(s)
	}
	return `{"from":` + side(from) + `,"to":` + side(to) + `}`
}

func numberRows() []tableCase {
	const d = DimNumber
	return []tableCase{
		whole("twenty one", d, "21", ""), whole("3.5", d, "3.5", ""),
		whole("1,000", d, "1000", ""), whole("a dozen", d, "12", ""),
		whole("eighty eight", d, "88", ""), whole("one hundred thousand", d, "100000", ""),
		whole("100k", d, "100000", ""), whole("-504", d, "-504", ""),
		whole("negative five hundred and four", d, "-504", ""),
		whole("two point two million", d, "2200000", ""), whole(".77", d, "0.77", ""),
		whole("seven hundred twenty-one thousand and twelve", d, "721012", ""),
		whole("3 million", d, "3000000", ""), at("I have 3 apples", "3", d, "3", ""),
		whole("a couple", d, "2", ""), whole("1/5", d, "0.2", ""),
		whole("thirty-three", d, "33", ""), whole("1.2M", d, "1200000", ""),
		whole("100,000.0", d, "100000", ""), whole("zero", d, "0", ""),
		whole("two dozen", d, "24", ""), whole("1 point 1", d, "1.1", ""),
		at("we need 12 chairs and 4 tables", "4", d, "4", ""),
	}
}

func ordinalRows() []tableCase {
	const d = DimOrdinal
	return []tableCase{
		whole("third", d, "3", ""), whole("21st", d, "21", ""), whole("33rd", d, "33", ""),
		whole("first", d, "1", ""), whole("twenty-first", d, "21", ""),
		whole("twenty first", d, "21", ""), whole("2nd", d, "2", ""),
		at("the 4th one", "4th", d, "4", ""), whole("tenth", d, "10", ""),
		whole("ninety ninth", d, "99", ""), whole("12th", d, "12", ""),
		at("take the second exit", "second", d, "2", ""),
	}
}

func moneyRows() []tableCase {
	const d = DimMoney
	return []tableCase{
		whole("$20", d, "20", "$"), whole("20 dollars", d, "20", "$"),
		whole("€5.50", d, "5.5", "EUR"), whole("5 euros", d, "5", "EUR"),
		whole("100 USD", d, "100", "USD"), whole("£3", d, "3", "£"),
		whole("ten bucks", d, "10", "unknown"), whole("$10K", d, "10000", "$"),
		whole("USD3.14", d, "3.14", "USD"), whole("EUR 20", d, "20", "EUR"),
		whole("20€", d, "20", "EUR"), whole("10 cents", d, "10", "cent"),
		whole("$20 and 43c", d, "20.43", "$"), whole("20 dollars 43 cents", d, "20.43", "$"),
		whole("a dollar", d, "1", "$"), whole("GBP 3.01", d, "3.01", "GBP"),
		whole("Rs. 20", d, "20", "INR"), whole("3.14US$", d, "3.14", "USD"),
		whole("between 10 and 20 dollars", d, `{"from":10,"to":20}`, "$"),
		whole("10-20 dollars", d, `{"from":10,"to":20}`, "$"),
		whole("under seven euros", d, `{"from":null,"to":7}`, "EUR"),
		whole("at least $1.42", d, `{"from":1.42,"to":null}`, "$"),
		at("I want to send $50 to Anna", "$50", d, "50", "$"),
		at("it costs 1,250.99 euros", "1,250.99 euros", d, "1250.99", "EUR"),
	}
}

func timeRows() []tableCase {
	const d = DimTime
	return []tableCase{
		whole("now", d, ts("2013-02-12T04:30"), "second"),
		whole("today", d, ts("2013-02-12"), "day"),
		whole("tomorrow", d, ts("2013-02-13"), "day"),
		whole("yesterday", d, ts("2013-02-11"), "day"),
		whole("tomorrow at 9", d, ts("2013-02-13T09:00"), "hour"),
		whole("monday", d, ts("2013-02-18"), "day"),
		whole("tuesday", d, ts("2013-02-19"), "day"),
		whole("next friday", d, ts("2013-02-15"), "day"),
		whole("last tuesday", d, ts("2013-02-05"), "day"),
		whole("this monday", d, ts("2013-02-18"), "day"),
		whole("wednesday of next week", d, ts("2013-02-20"), "day"),
		whole("friday after next", d, ts("2013-02-22"), "day"),
		whole("the day after tomorrow", d, ts("2013-02-14"), "day"),
		whole("the day before yesterday", d, ts("2013-02-10"), "day"),
		whole("march 3", d, ts("2013-03-03"), "day"),
		whole("march 3 2015", d, ts("2015-03-03"), "day"),
		whole("March 3rd, 2015", d, ts("2015-03-03"), "day"),
		whole("3/3/2015", d, ts("2015-03-03"), "day"),
		whole("2015-03-03", d, ts("2015-03-03"), "day"),
		whole("2/15", d, ts("2013-02-15"), "day"),
		whole("10/31/74", d, ts("1974-10-31"), "day"),
		whole("the 15th of february", d, ts("2013-02-15"), "day"),
		whole("on the 15th", d, ts("2013-02-15"), "day"),
		whole("on the first", d, ts("2013-03-01"), "day"),
		whole("15th february", d, ts("2013-02-15"), "day"),
		whole("on the 5th of march", d, ts("2013-03-05"), "day"),
		whole("October 2014", d, ts("2014-10-01"), "month"),
		whole("in January 2019", d, ts("2019-01-01"), "month"),
		whole("next March", d, ts("2013-03-01"), "month"),
		whole("in March", d, ts("2013-03-01"), "month"),
		whole("this week", d, ts("2013-02-11"), "week"),
		whole("last week", d, ts("2013-02-04"), "week"),
		whole("next week", d, ts("2013-02-18"), "week"),
		whole("last month", d, ts("2013-01-01"), "month"),
		whole("next month", d, ts("2013-03-01"), "month"),
		whole("this year", d, ts("2013-01-01"), "year"),
		whole("next year", d, ts("2014-01-01"), "year"),
		whole("this quarter", d, ts("2013-01-01"), "quarter"),
	}
}

func clockRows() []tableCase {
	const d = DimTime
	return []tableCase{
		whole("at 3pm", d, ts("2013-02-12T15:00"), "hour"),
		whole("3:18am", d, ts("2013-02-13T03:18"), "minute"),
		whole("3:30", d, ts("2013-02-12T15:30"), "minute"),
		whole("15:15", d, ts("2013-02-12T15:15"), "minute"),
		whole("15:23:24", d, ts("2013-02-12T15:23:24"), "second"),
		whole("at 8 in the evening", d, ts("2013-02-12T20:00"), "hour"),
		whole("8 tonight", d, ts("2013-02-12T20:00"), "hour"),
		whole("at noon", d, ts("2013-02-12T12:00"), "hour"),
		whole("at midnight", d, ts("2013-02-13T00:00"), "hour"),
		whole("half past 3 pm", d, ts("2013-02-12T15:30"), "minute"),
		whole("a quarter to noon", d, ts("2013-02-12T11:45"), "minute"),
		whole("at 7:30 PM on Fri, Sep 20", d, ts("2013-09-20T19:30"), "minute"),
		whole("at 9am on Saturday", d, ts("2013-02-16T09:00"), "hour"),
		whole("Fri, Jul 18, 2014 07:00 PM", d, ts("2014-07-18T19:00"), "minute"),
	}
}

func relativeRows() []tableCase {
	const d = DimTime
	return []tableCase{
		whole("in 2 minutes", d, ts("2013-02-12T04:32"), "second"),
		whole("in one hour", d, ts("2013-02-12T05:30"), "minute"),
		whole("in 2 hours", d, ts("2013-02-12T06:30"), "minute"),
		whole("in a day", d, ts("2013-02-13T04:00"), "hour"),
		whole("in 1 week", d, ts("2013-02-19"), "day"),
		whole("in half an hour", d, ts("2013-02-12T05:00"), "second"),
		whole("7 days ago", d, ts("2013-02-05T04:00"), "hour"),
		whole("three months ago", d, ts("2012-11-12"), "day"),
		whole("two years ago", d, ts("2011-02-01"), "month"),
		whole("2 minutes from now", d, ts("2013-02-12T04:32"), "second"),
		whole("1954", d, ts("1954-01-01"), "year"),
		whole("christmas", d, ts("2013-12-25"), "day"),
		whole("new year's eve", d, ts("2013-12-31"), "day"),
		whole("first tuesday of october", d, ts("2013-10-01"), "day"),
		whole("last Monday of March", d, ts("2013-03-25"), "day"),
		whole("third day of october", d, ts("2013-10-03"), "day"),
		whole("tomorrow afternoon at 5", d, ts("2013-02-13T17:00"), "hour"),
		whole("at 5pm tomorrow", d, ts("2013-02-13T17:00"), "hour"),
		whole("tonight at 11", d, ts("2013-02-12T23:00"), "hour"),
		whole("at 4:23", d, ts("2013-02-12T04:23"), "minute"),
		whole("Aug 8", d, ts("2013-08-08"), "day"),
		whole("14april 2015", d, ts("2015-04-14"), "day"),
		whole("Monday, Feb 18", d, ts("2013-02-18"), "day"),
		whole("Tuesday the 19th", d, ts("2013-02-19"), "day"),
		whole("last sunday", d, ts("2013-02-10"), "day"),
		whole("day after tomorrow 5pm", d, ts("2013-02-14T17:00"), "hour"),
		at("Can we meet tomorrow at 9?", "tomorrow at 9", d, ts("2013-02-13T09:00"), "hour"),
		at("I was born on 10/31/1974", "on 10/31/1974", d, ts("1974-10-31"), "day"),
		at("remind me in 15 minutes", "in 15 minutes", d, ts("2013-02-12T04:45"), "second"),
		none("I may come", d), none("25", d), none("this is the one", d),
	}
}

func timeRangeRows() []tableCase {
	const d = DimTime
	return []tableCase{
		whole("this evening", d, iv("2013-02-12T18:00", "2013-02-13"), "hour"),
		whole("tonight", d, iv("2013-02-12T18:00", "2013-02-13"), "hour"),
		whole("tomorrow evening", d, iv("2013-02-13T18:00", "2013-02-14"), "hour"),
		whole("monday morning", d, iv("2013-02-18T04:00", "2013-02-18T12:00"), "hour"),
		whole("this weekend", d, iv("2013-02-15T18:00", "2013-02-18"), "hour"),
		whole("last 2 days", d, iv("2013-02-10", "2013-02-12"), "day"),
		whole("next 3 weeks", d, iv("2013-02-18", "2013-03-11"), "week"),
		whole("next 3 hours", d, iv("2013-02-12T05:00", "2013-02-12T08:00"), "hour"),
		whole("July 13-15", d, iv("2013-07-13", "2013-07-16"), "day"),
		whole("from 13 to 15 July", d, iv("2013-07-13", "2013-07-16"), "day"),
		whole("Aug 8 - Aug 12", d, iv("2013-08-08", "2013-08-13"), "day"),
		whole("3-4pm", d, iv("2013-02-12T15:00", "2013-02-12T17:00"), "hour"),
		whole("from 3 to 5pm", d, iv("2013-02-12T15:00", "2013-02-12T18:00"), "hour"),
		whole("8am - 1pm", d, iv("2013-02-12T08:00", "2013-02-12T14:00"), "hour"),
		whole("9:30 - 11:00 on Thursday", d, iv("2013-02-14T09:30", "2013-02-14T11:01"), "minute"),
		whole("between 9:30 and 11:00 on thursday", d,
			iv("2013-02-14T09:30", "2013-02-14T11:01"), "minute"),
		whole("Thursday from 9:30 to 11:00", d,
			iv("2013-02-14T09:30", "2013-02-14T11:01"), "minute"),
		whole("1pm-2pm tomorrow", d, iv("2013-02-13T13:00", "2013-02-13T15:00"), "hour"),
		whole("11:30-1:30", d, iv("2013-02-12T11:30", "2013-02-12T13:31"), "minute"),
		whole("after 2 pm", d, iv("2013-02-12T14:00", ""), "hour"),
		whole("before 11 am", d, iv("", "2013-02-12T11:00"), "hour"),
		whole("until 2:00pm", d, iv("", "2013-02-12T14:00"), "minute"),
		whole("by 2:00pm", d, iv("2013-02-12T04:30", "2013-02-12T14:00"), "second"),
		whole("after 5 days", d, iv("2013-02-17T04:00", ""), "hour"),
	}
}

func durationRows() []tableCase {
	const d = DimDuration
	return []tableCase{
		whole("3 mins", d, "3", "minute"), whole("2 hours", d, "2", "hour"),
		whole("30 days", d, "30", "day"), whole("seven weeks", d, "7", "week"),
		whole("a month", d, "1", "month"), whole("half an hour", d, "30", "minute"),
		whole("an hour and a half", d, "90", "minute"),
		whole("2 years and 3 months", d, "27", "month"),
		whole("1 year, 2 days, 3 hours and 4 seconds", d, "31719604", "second"),
		whole("2.5 hours", d, "150", "minute"), whole("3 quarters", d, "3", "quarter"),
		at("it takes 10 minutes", "10 minutes", d, "10", "minute"),
		whole("1 second", d, "1", "second"), none("for months", d), none("I second that", d),
	}
}

func emailRows() []tableCase {
	const d = DimEmail
	return []tableCase{
		whole("alice@exAmple.io", d, `"alice@exAmple.io"`, ""),
		whole("yo+yo@blah.org", d, `"yo+yo@blah.org"`, ""),
		whole("1234+abc@x.net", d, `"1234+abc@x.net"`, ""),
		whole("jean-jacques@stuff.co.uk", d, `"jean-jacques@stuff.co.uk"`, ""),
		at("contact me at bob.smith@mail.example.com please", "bob.smith@mail.example.com", d,
			`"bob.smith@mail.example.com"`, ""),
		whole("first.last@sub.domain.org", d, `"first.last@sub.domain.org"`, ""),
		whole("x_y@z.io", d, `"x_y@z.io"`, ""),
		at("mail: a.b-c@d-e.fr.", "a.b-c@d-e.fr", d, `"a.b-c@d-e.fr"`, ""),
		at("user123@gmail.com is mine", "user123@gmail.com", d, `"user123@gmail.com"`, ""),
		none("hey@you", d), none("hey@6", d),
	}
}

func urlRows() []tableCase {
	const d = DimURL
	return []tableCase{
		whole("http://www.bla.com", d, `"http://www.bla.com"`, ""),
		whole("www.bla.com:8080/path", d, `"www.bla.com:8080/path"`, ""),
		whole("https://myserver?foo=bar", d, `"https://myserver?foo=bar"`, ""),
		whole("cnn.com/info", d, `"cnn.com/info"`, ""),
		whole("bla.com/path/path?ext=%23&foo=bla", d, `"bla.com/path/path?ext=%23&foo=bla"`, ""),
		whole("localhost", d, `"localhost"`, ""),
		whole("localhost:8000", d, `"localhost:8000"`, ""),
		whole("http://kimchi", d, `"http://kimchi"`, ""),
		whole("https://500px.com:443/about", d, `"https://500px.com:443/about"`, ""),
		whole("www2.foo-bar.net?foo=bar", d, `"www2.foo-bar.net?foo=bar"`, ""),
		at("visit https://rasa.com/docs.", "https://rasa.com/docs", d,
			`"https://rasa.com/docs"`, ""),
		none("foo", d), none("hey:42", d),
	}
}

func phoneRows() []tableCase {
	const d = DimPhone
	return []tableCase{
		whole("650-701-8887", d, `"6507018887"`, ""),
		whole("(+1)650-701-8887", d, `"(+1) 6507018887"`, ""),
		whole("+1 6507018887", d, `"(+1) 6507018887"`, ""),
		whole("+33 1 46647998", d, `"(+33) 146647998"`, ""),
		whole("06 2070 2220", d, `"0620702220"`, ""),
		whole("(650)-701-8887 ext 897", d, `"6507018887 ext 897"`, ""),
		whole("+1-202-555-0121", d, `"(+1) 2025550121"`, ""),
		whole("+1 202.555.0121", d, `"(+1) 2025550121"`, ""),
		whole("06354640807", d, `"06354640807"`, ""),
		at("call me at 555-123-4567 tomorrow", "555-123-4567", d, `"5551234567"`, ""),
		none("12345", d), none("1234567890123456777777", d),
	}
}

func distanceRows() []tableCase {
	const d = DimDistance
	return []tableCase{
		whole("3 kilometers", d, "3", "kilometre"), whole("3 km", d, "3", "kilometre"),
		whole("3km", d, "3", "kilometre"), whole("8 miles", d, "8", "mile"),
		whole("eight mile", d, "8", "mile"), whole("8 mi", d, "8", "mile"),
		whole("9m", d, "9", "m"), whole("2cm", d, "2", "centimetre"),
		whole("2 centimeters", d, "2", "centimetre"), whole("five inches", d, "5", "inch"),
		whole("1.87 meters", d, "1.87", "metre"), whole("10 feet", d, "10", "foot"),
		whole("between 3 and 5 kilometers", d, `{"from":3,"to":5}`, "kilometre"),
		whole("under 3.5 miles", d, `{"from":null,"to":3.5}`, "mile"),
		whole("5-6 mm", d, `{"from":5,"to":6}`, "millimetre"),
		none("5 in the evening", d),
	}
}

func temperatureRows() []tableCase {
	const d = DimTemperature
	return []tableCase{
		whole("37°C", d, "37", "celsius"), whole("37 degrees Celsius", d, "37", "celsius"),
		whole("thirty seven celsius", d, "37", "celsius"), whole("70°F", d, "70", "fahrenheit"),
		whole("70 degrees F", d, "70", "fahrenheit"), whole("98.6°F", d, "98.6", "fahrenheit"),
		whole("45°", d, "45", "degree"), whole("45 degrees", d, "45", "degree"),
		whole("70 degrees", d, "70", "degree"), whole("-2°", d, "-2", "degree"),
		whole("2 degrees below zero", d, "-2", "degree"), whole("80F", d, "80", "fahrenheit"),
		whole("between 30 and 40 degrees", d, `{"from":30,"to":40}`, "degree"),
		whole("over 40 degrees", d, `{"from":40,"to":null}`, "degree"),
		whole("20°C", d, "20", "celsius"),
	}
}
