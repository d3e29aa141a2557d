package schema

import (
	"fmt"
	"time"
)

// Dates are stored as Arrow date32: days since 1970-01-01, in UTC.
//
// A Day is how a date travels: every configuration, summary, run record
// and function parameter that holds a date holds a Day, which parses,
// prints and knows its quarter (scripts/house refuses an exported function
// outside this package that takes a date as a bare int32). Columnar loops
// read the raw date32 values of a column as int32 (DateAt, the transforms'
// per-row slices) and compare them with a Window and NoDate without a
// conversion per row; a value that leaves the loop becomes a Day.

const dayLayout = "2006-01-02"

// Day is a calendar date: days since 1970-01-01 (UTC), as date32 holds it.
type Day int32

// ParseDay reads a YYYY-MM-DD date (year 0000 to 9999, a real calendar
// day). It reads the digits itself: ingest parses every date of every
// export row with it, and time.Parse was a tenth of validation's time.
func ParseDay(s string) (Day, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, fmt.Errorf("%q is not a date in YYYY-MM-DD form", s)
	}
	y, ok1 := digitsAt(s[0:4])
	m, ok2 := digitsAt(s[5:7])
	d, ok3 := digitsAt(s[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, fmt.Errorf("%q is not a date in YYYY-MM-DD form", s)
	}
	return Day(daysFromCivil(y, m, d)), nil
}

// digitsAt reads s, decimal digits only, as a number.
func digitsAt(s string) (int32, bool) {
	var n int32
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int32(c-'0')
	}
	return n, true
}

// daysIn is the number of days of month m of year y.
func daysIn(y, m int32) int32 {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// DayOf is t's calendar date (in t's location).
func DayOf(t time.Time) Day {
	y, m, d := t.Date()
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// String is the day as YYYY-MM-DD.
func (d Day) String() string { return d.Time().Format(dayLayout) }

// Time is the day's midnight in UTC.
func (d Day) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// Quarter is the number of the day's quarter (see QuarterFirstDay).
func (d Day) Quarter() int32 {
	y, m := civil(int32(d))
	return y*4 + (m-1)/3
}

// QuarterStart is the first day of the day's quarter.
func (d Day) QuarterStart() Day { return Day(QuarterFirstDay(d.Quarter())) }

// QuarterEnd is the last day of the day's quarter.
func (d Day) QuarterEnd() Day { return Day(QuarterFirstDay(d.Quarter()+1) - 1) }

// IsQuarterEnd reports whether the day is the last of a calendar quarter.
func (d Day) IsQuarterEnd() bool { return d.QuarterEnd() == d }

// QuarterEndBefore is the last quarter-end date before the day (not the
// day itself): on 2026-10-01 and on 2026-12-31 it is 2026-09-30, on
// 2026-09-30 it is 2026-06-30. A scheduled run scores the quarter that has
// just closed; the same day always gives the same quarter.
func (d Day) QuarterEndBefore() Day { return d.QuarterStart() - 1 }

// Trailing is the window of n quarters ending on the day: from the first
// day of the quarter n-1 quarters before the day's quarter, to the day.
func (d Day) Trailing(n int) Window {
	return Window{QuarterFirstDay(d.Quarter() - int32(n-1)), int32(d)}
}

// AddDays is the day n days later (earlier when n < 0).
func (d Day) AddDays(n int) Day { return d + Day(n) }

// Quarters are numbered year*4 + (month-1)/3, so consecutive quarters are
// consecutive integers. Dates are days since 1970-01-01 (Arrow date32).

// NoDate marks a null date in columnar code (days since the epoch). It is
// below every real date: test for it before comparing dates.
const NoDate int32 = -1 << 31

// civil converts days since the epoch to a proleptic Gregorian year and
// month (H. Hinnant's days_from_civil inverse): integer arithmetic only, so
// ten million dates convert in milliseconds.
func civil(d int32) (y, m int32) {
	z := d + 719468
	era := z
	if z < 0 {
		era = z - 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	m = mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m
}

// daysFromCivil is the day number of y-m-d (proleptic Gregorian).
func daysFromCivil(y, m, d int32) int32 {
	if m <= 2 {
		y--
	}
	era := y
	if y < 0 {
		era = y - 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// QuarterFirstDay is the first day of quarter q.
func QuarterFirstDay(q int32) int32 {
	y := q / 4
	if q < 0 && q%4 != 0 {
		y--
	}
	return daysFromCivil(y, (q-y*4)*3+1, 1)
}

// QuarterLabel renders quarter q as 2026-Q3.
func QuarterLabel(q int32) string {
	y := q / 4
	if q < 0 && q%4 != 0 {
		y--
	}
	return fmt.Sprintf("%d-Q%d", y, q-y*4+1)
}

// Window is a closed range of days [Start, End].
type Window struct{ Start, End int32 }

// Has reports whether day d (NoDate is never inside) is in the window.
func (w Window) Has(d int32) bool { return d != NoDate && d >= w.Start && d <= w.End }
