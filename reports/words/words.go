// Package words writes the reports' figures and names as people write
// them: money as $1.6B, shares with the precision they support, changes
// with their sign, components by their names. The board report and the
// partner scorecards share it, so a figure reads the same in both.
package words

import (
	"fmt"
	"math"
	"strings"

	"github.com/partnerq/pqi/transforms/schema"
)

// NotMeasured is how a figure the data do not measure prints.
const NotMeasured = "not measured"

// USD writes an amount as people write it: $1.6B, $509.8M, $12.5k, $900,
// with a minus sign for a negative amount.
func USD(v float64) string {
	if math.IsNaN(v) {
		return NotMeasured
	}
	v += 0 // −0 prints as 0
	sign := ""
	if v < 0 {
		sign, v = "−", -v
	}
	at, unit := usdUnit(v)
	if unit == "" {
		return fmt.Sprintf("%s$%.0f", sign, v)
	}
	return fmt.Sprintf("%s$%.1f%s", sign, v/at, unit)
}

// usdUnit is the unit USD writes a non-negative amount in. A unit serves
// from its size up, and from where the unit below would print 1000.0:
// 999,960 is $1.0M, not $1000.0k; 999,949 is $999.9k.
func usdUnit(v float64) (float64, string) {
	for _, u := range []struct {
		at   float64
		unit string
	}{{1e9, "B"}, {1e6, "M"}, {1e3, "k"}} {
		if v >= u.at || math.Round(v/u.at*1e4) >= 1e4 {
			return u.at, u.unit
		}
	}
	return 1, ""
}

// USDRounded is v as USD prints it: 116,912,345 is 116,900,000.
func USDRounded(v float64) float64 {
	if math.IsNaN(v) {
		return v
	}
	at, unit := usdUnit(math.Abs(v))
	if unit == "" {
		return math.Round(v)
	}
	return math.Round(v/at*10) / 10 * at
}

// USDTick is USD for an axis: $1k, $10k, $2.5M.
func USDTick(v float64) string { return strings.Replace(USD(v), ".0", "", 1) }

// Pct writes a fraction as a percentage with digits decimals.
func Pct(v float64, digits int) string {
	if math.IsNaN(v) {
		return NotMeasured
	}
	return fmt.Sprintf("%.*f%%", digits, 100*v)
}

// Num writes a number with digits decimals; NaN is not measured.
func Num(v float64, digits int) string {
	if math.IsNaN(v) {
		return NotMeasured
	}
	return strings.Replace(fmt.Sprintf("%.*f", digits, v), "-", "−", 1)
}

// Signed writes a change with its sign: +3.1, −0.4.
func Signed(v float64, digits int) string {
	if math.IsNaN(v) {
		return NotMeasured
	}
	s := fmt.Sprintf("%+.*f", digits, v)
	if strings.Trim(s, "+-0.") == "" {
		return fmt.Sprintf("%.*f", digits, 0.0) // no "+0.0" or "−0.0"
	}
	return strings.Replace(s, "-", "−", 1)
}

// Count writes an integer with thousands separators: 40,000.
func Count[T ~int | ~int64](n T) string {
	s := fmt.Sprint(int64(n))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "−" + b.String()
	}
	return b.String()
}

// componentNames are the components as a reader names them.
var componentNames = [schema.NumComponents]string{
	schema.CompWinRate: "win rate", schema.CompCSAT: "CSAT", schema.CompTimeToValue: "time to value",
	schema.CompChurnRate: "churn rate", schema.CompAttachRate: "attach rate", schema.CompLeadQuality: "lead quality",
	schema.CompRegistration: "registration discipline", schema.CompAEPullThrough: "AE pull-through",
	schema.CompCertification: "certification rate", schema.CompCaseStudies: "case studies", schema.CompMarketplace: "marketplace activity",
}

func Component(c schema.Component) string { return componentNames[c] }

// Label writes a component's name, or any other identifier as words.
func Label(s string) string {
	if c, ok := schema.ParseComponent(s); ok {
		return Component(c)
	}
	return schema.Words(s)
}

// Plural is n with the noun, made Plural when n is not 1.
func Plural[T ~int | ~int64](n T, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Count(n) + " " + many
}

// Interval writes a 90% Interval: 41.2–55.0.
func Interval(lo, hi float64, digits int) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return NotMeasured
	}
	return Num(lo, digits) + "–" + Num(hi, digits)
}

// PrintedDiff is now − prev as a reader computes it from the two figures
// printed with digits decimals, so a printed change always equals the
// difference of the printed values.
func PrintedDiff(now, prev float64, digits int) float64 {
	s := math.Pow10(digits)
	return (math.Round(now*s) - math.Round(prev*s)) / s
}

// ComponentValue writes a component's raw value in its own units: a share
// as 41%, CSAT as 4.1 of 5, time to value in days, case studies as a count,
// churn as churns a customer-year ("0.23 a year").
func ComponentValue(c schema.Component, v float64) string {
	if math.IsNaN(v) {
		return NotMeasured
	}
	switch c {
	case schema.CompCSAT:
		return Num(v, 1) + " of 5"
	case schema.CompTimeToValue:
		return Num(v, 0) + " days"
	case schema.CompCaseStudies:
		return Num(v, 0)
	case schema.CompChurnRate:
		return Num(v, 2) + " a year"
	}
	return Pct(v, 0)
}

// TargetValue writes a healthy target, or the raw value it is checked
// against, in the target's units: CSAT as 4.0 of 5, time to value in days,
// the rest (churn too: a 12-month churn share) as a percentage.
func TargetValue(c schema.Component, v float64) string {
	if math.IsNaN(v) {
		return NotMeasured
	}
	switch c {
	case schema.CompCSAT:
		return Num(v, 1) + " of 5"
	case schema.CompTimeToValue:
		return Num(v, 0) + " days"
	}
	return Pct(v, 0)
}

// triggers are the intervention triggers as the reports name them; the
// board's glossary says what each means.
var triggers = map[schema.InterventionTrigger]string{
	schema.TriggerDeliveryCUSUM:     "delivery slipping",
	schema.TriggerChurnVsDirect:     "churn above direct",
	schema.TriggerDeliveryGuardrail: "delivery guardrail",
	schema.TriggerPQILow:            "among the weakest",
}

// outlooks are the flags' outlooks as the reports name them.
var outlooks = map[schema.FlagOutlook]string{
	schema.OutlookNotYet:  "help first",
	schema.OutlookNotEver: "decide",
}

// advice are the tier recommendations as the reports name them.
var advice = map[schema.TierAdvice]string{
	schema.RecPromote: "promote", schema.RecHold: "hold", schema.RecDemote: "demote",
	schema.RecReviewExit: "review exit", schema.RecAtRisk: "at risk",
}

// Trigger names an intervention trigger.
func Trigger(t schema.InterventionTrigger) string { return triggers[t] }

// Outlook names a flag's outlook.
func Outlook(o schema.FlagOutlook) string { return outlooks[o] }

// Advice names a tier recommendation.
func Advice(a schema.TierAdvice) string { return advice[a] }
