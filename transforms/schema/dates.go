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
