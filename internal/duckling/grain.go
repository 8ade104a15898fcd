package duckling

import "time"

// grain is the precision of a time or the unit of a duration.
type grain int8

const (
	gSecond grain = iota
	gMinute
	gHour
	gDay
	gWeek
	gMonth
	gQuarter
	gYear
	gNone grain = -1
)

// String returns Duckling's name of the grain.
func (g grain) String() string {
	switch g {
	case gSecond:
		return "second"
	case gMinute:
		return "minute"
	case gHour:
		return "hour"
	case gDay:
		return "day"
	case gWeek:
		return "week"
	case gMonth:
		return "month"
	case gQuarter:
		return "quarter"
	case gYear:
		return "year"
	}
	return ""
}

// seconds is the length of one grain in seconds, as Duckling counts it
// when it normalizes a duration (a month is 30 days, a year 365).
func (g grain) seconds() float64 {
	switch g {
	case gSecond:
		return 1
	case gMinute:
		return 60
	case gHour:
		return 3600
	case gDay:
		return 86400
	case gWeek:
		return 7 * 86400
	case gMonth:
		return 30 * 86400
	case gQuarter:
		return 90 * 86400
	}
	return 365 * 86400
}

// finer is the grain below g, used to state the precision of "in <n> g".
func (g grain) finer() grain {
	switch g {
	case gSecond, gMinute:
		return gSecond
	case gHour:
		return gMinute
	case gDay:
		return gHour
	case gWeek, gMonth:
		return gDay
	}
	return gMonth
}

// lower is the next smaller unit, used to turn "1.5 hours" into 90 minutes.
func (g grain) lower() grain {
	switch g {
	case gSecond, gMinute:
		return gSecond
	case gHour:
		return gMinute
	case gDay:
		return gHour
	case gWeek:
		return gDay
	case gMonth:
		return gDay
	case gQuarter:
		return gMonth
	}
	return gMonth
}

// add moves t by n grains in t's own zone, keeping the wall clock for
// calendar grains.
func (g grain) add(t time.Time, n int) time.Time {
	switch g {
	case gSecond:
		return t.Add(time.Duration(n) * time.Second)
	case gMinute:
		return t.Add(time.Duration(n) * time.Minute)
	case gHour:
		return t.Add(time.Duration(n) * time.Hour)
	case gDay:
		return t.AddDate(0, 0, n)
	case gWeek:
		return t.AddDate(0, 0, 7*n)
	case gMonth:
		return t.AddDate(0, n, 0)
	case gQuarter:
		return t.AddDate(0, 3*n, 0)
	}
	return t.AddDate(n, 0, 0)
}

// truncate returns the start of the grain holding t, in t's zone; weeks
// start on Monday.
func (g grain) truncate(t time.Time) time.Time {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	loc := t.Location()
	switch g {
	case gSecond:
		return time.Date(y, mo, d, h, mi, s, 0, loc)
	case gMinute:
		return time.Date(y, mo, d, h, mi, 0, 0, loc)
	case gHour:
		return time.Date(y, mo, d, h, 0, 0, 0, loc)
	case gDay:
		return time.Date(y, mo, d, 0, 0, 0, 0, loc)
	case gWeek:
		back := (int(t.Weekday()) + 6) % 7
		return time.Date(y, mo, d-back, 0, 0, 0, 0, loc)
	case gMonth:
		return time.Date(y, mo, 1, 0, 0, 0, 0, loc)
	case gQuarter:
		return time.Date(y, mo-(mo-1)%3, 1, 0, 0, 0, 0, loc)
	}
	return time.Date(y, 1, 1, 0, 0, 0, 0, loc)
}

// span is a resolved time: the grain-long period starting at start, or an
// interval [start, end). Open intervals have only one side.
type span struct {
	start, end time.Time
	g          grain // precision of start
	endGrain   grain // precision of end, for intervals
	interval   bool
	openStart  bool // "before X": only end is known
	openEnd    bool // "after X": only start is known
}

// instant returns a single-value span.
func instant(t time.Time, g grain) span {
	return span{start: t, end: g.add(t, 1), g: g}
}

// stop returns the first moment after the span.
func (s span) stop() time.Time {
	if s.interval && !s.openEnd {
		return s.end
	}
	if s.openEnd {
		return s.start.AddDate(1000, 0, 0)
	}
	return s.g.add(s.start, 1)
}

// isoFormat is Duckling's time format: milliseconds and a +hh:mm offset.
const isoFormat = "2006-01-02T15:04:05.000-07:00"

// instantJSON is Duckling's {"value", "grain"} pair.
func instantJSON(t time.Time, g grain) map[string]any {
	return map[string]any{"value": t.Format(isoFormat), "grain": g.String()}
}

// json returns Duckling's value object for one time: {"type":"value",
// "value","grain"} or {"type":"interval","from","to"}.
func (s span) json() map[string]any {
	if !s.interval {
		m := instantJSON(s.start, s.g)
		m["type"] = "value"
		return m
	}
	m := map[string]any{"type": "interval"}
	if !s.openStart {
		m["from"] = instantJSON(s.start, s.g)
	}
	if !s.openEnd {
		m["to"] = instantJSON(s.end, s.endGrain)
	}
	return m
}

// timeEntityValue returns the entity value Rasa derives from a time: the
// ISO string, or {"from","to"} for intervals with null for an open side.
func timeEntityValue(s span) any {
	if !s.interval {
		return s.start.Format(isoFormat)
	}
	v := map[string]any{"from": nil, "to": nil}
	if !s.openStart {
		v["from"] = s.start.Format(isoFormat)
	}
	if !s.openEnd {
		v["to"] = s.end.Format(isoFormat)
	}
	return v
}
