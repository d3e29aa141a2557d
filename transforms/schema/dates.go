package schema

import (
	"fmt"
	"time"
)

// Dates are stored as Arrow date32: days since 1970-01-01, in UTC.

const dayLayout = "2006-01-02"

// DateOf turns days since the epoch into a UTC midnight time.
func DateOf(d int32) time.Time {
	return time.Unix(int64(d)*86400, 0).UTC()
}

// DaysOf turns a time into days since the epoch, taking its calendar date.
func DaysOf(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// FormatDate renders days since the epoch as YYYY-MM-DD.
func FormatDate(d int32) string { return DateOf(d).Format(dayLayout) }

// ParseDate reads a YYYY-MM-DD date.
func ParseDate(s string) (int32, error) {
	t, err := time.Parse(dayLayout, s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a date in YYYY-MM-DD form", s)
	}
	return DaysOf(t), nil
}

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

// daysFromCivil is the day number of year-month-01.
func daysFromCivil(y, m int32) int32 {
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
	doy := (153*mp+2)/5 + 1 - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// QuarterOf is the quarter number of a date.
func QuarterOf(d int32) int32 {
	y, m := civil(d)
	return y*4 + (m-1)/3
}

// QuarterFirstDay is the first day of quarter q.
func QuarterFirstDay(q int32) int32 {
	y := q / 4
	if q < 0 && q%4 != 0 {
		y--
	}
	return daysFromCivil(y, (q-y*4)*3+1)
}

// QuarterLabel renders quarter q as 2026-Q3.
func QuarterLabel(q int32) string {
	y := q / 4
	if q < 0 && q%4 != 0 {
		y--
	}
	return fmt.Sprintf("%d-Q%d", y, q-y*4+1)
}

// QuarterEndBefore is the last quarter-end date before day d (not d
// itself): on 2026-10-01 and on 2026-12-31 it is 2026-09-30, on 2026-09-30
// it is 2026-06-30. A scheduled run scores the quarter that has just
// closed; the same day always gives the same quarter.
func QuarterEndBefore(d int32) int32 { return QuarterFirstDay(QuarterOf(d)) - 1 }

// QuarterEndOf is the last day of d's quarter.
func QuarterEndOf(d int32) int32 { return QuarterFirstDay(QuarterOf(d)+1) - 1 }

// IsQuarterEnd reports whether d is the last day of a calendar quarter.
func IsQuarterEnd(d int32) bool { return QuarterEndOf(d) == d }

// QuarterStartOf is the first day of the quarter holding day d.
func QuarterStartOf(d int32) int32 { return QuarterFirstDay(QuarterOf(d)) }

// Window is a closed range of days [Start, End].
type Window struct{ Start, End int32 }

// Trailing is the window of n quarters ending on day end: from the first
// day of the quarter n-1 quarters before end's quarter, to end.
func Trailing(end int32, n int) Window {
	return Window{QuarterFirstDay(QuarterOf(end) - int32(n-1)), end}
}

// Has reports whether day d (NoDate is never inside) is in the window.
func (w Window) Has(d int32) bool { return d != NoDate && d >= w.Start && d <= w.End }
