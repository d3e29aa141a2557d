package quality

import (
	"math"
	"time"

	"github.com/partnerq/pqi/transforms/schema"
)

// window is a closed range of days [start, end].
type window struct{ start, end int32 }

// quarterStart is the first day of the calendar quarter holding day d.
func quarterStart(d int32) int32 {
	t := schema.DateOf(d)
	m := time.Month((int(t.Month())-1)/3*3 + 1)
	return schema.DaysOf(time.Date(t.Year(), m, 1, 0, 0, 0, 0, time.UTC))
}

// addQuarters moves a quarter's first day by q quarters.
func addQuarters(qs int32, q int) int32 {
	return schema.DaysOf(schema.DateOf(qs).AddDate(0, 3*q, 0))
}

// trailing is the window of n quarters ending on day end: from the first
// day of the quarter n-1 quarters before end's quarter, to end.
func trailing(end int32, n int) window {
	return window{addQuarters(quarterStart(end), -(n - 1)), end}
}

func (w window) has(d int32) bool { return d != noDate && d >= w.start && d <= w.end }

const daysPerYear = 365.25

// exposure is the contract's time at risk inside w, in years, and whether
// it churned inside w. A contract churning on its first day at risk gets
// half a day, so the event always has exposure.
func exposure(start, churn int32, w window) (years float64, event bool) {
	from := max(start, w.start)
	to := w.end + 1
	if churn != noDate && churn < to {
		to = churn
	}
	event = w.has(churn)
	days := float64(to - from)
	if event {
		days = math.Max(days, 0.5)
	}
	if days <= 0 {
		return 0, false
	}
	return days / daysPerYear, event
}
