package quality

import (
	"math"

	"github.com/partnerq/pqi/transforms/schema"
)

const daysPerYear = 365.25

// exposure is the contract's time at risk inside w, in years, and whether
// it churned inside w. A contract churning on its first day at risk gets
// half a day, so the event always has exposure.
func exposure(start, churn int32, w schema.Window) (years float64, event bool) {
	from := max(start, w.Start)
	to := w.End + 1
	if churn != schema.NoDate && churn < to {
		to = churn
	}
	event = w.Has(churn)
	days := float64(to - from)
	if event {
		days = math.Max(days, 0.5)
	}
	if days <= 0 {
		return 0, false
	}
	return days / daysPerYear, event
}
