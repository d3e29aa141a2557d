package schema

// financeTables are the scored tables for finance and partner leaders:
// attribution, partner_roi and cohort_metrics.
func financeTables() []Table { return nil }
