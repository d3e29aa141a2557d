package board

import (
	"fmt"
	"math"
	"strings"

	"github.com/partnerq/pqi/transforms/schema"
)

// notMeasured is how a figure the data do not measure prints.
const notMeasured = "not measured"

// usd writes an amount as people write it: $1.6B, $509.8M, $12.5k, $900,
// with a minus sign for a negative amount.
func usd(v float64) string {
	if math.IsNaN(v) {
		return notMeasured
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

// usdUnit is the unit usd writes a non-negative amount in. A unit serves
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

// usdRounded is v as usd prints it: 116,912,345 is 116,900,000.
func usdRounded(v float64) float64 {
	if math.IsNaN(v) {
		return v
	}
	at, unit := usdUnit(math.Abs(v))
	if unit == "" {
		return math.Round(v)
	}
	return math.Round(v/at*10) / 10 * at
}

// usdTick is usd for an axis: $1k, $10k, $2.5M.
func usdTick(v float64) string { return strings.Replace(usd(v), ".0", "", 1) }

// pct writes a fraction as a percentage with digits decimals.
func pct(v float64, digits int) string {
	if math.IsNaN(v) {
		return notMeasured
	}
	return fmt.Sprintf("%.*f%%", digits, 100*v)
}

// num writes a number with digits decimals; NaN is not measured.
func num(v float64, digits int) string {
	if math.IsNaN(v) {
		return notMeasured
	}
	return strings.Replace(fmt.Sprintf("%.*f", digits, v), "-", "−", 1)
}

// signed writes a change with its sign: +3.1, −0.4.
func signed(v float64, digits int) string {
	if math.IsNaN(v) {
		return notMeasured
	}
	s := fmt.Sprintf("%+.*f", digits, v)
	if strings.Trim(s, "+-0.") == "" {
		return fmt.Sprintf("%.*f", digits, 0.0) // no "+0.0" or "−0.0"
	}
	return strings.Replace(s, "-", "−", 1)
}

// count writes an integer with thousands separators: 40,000.
func count[T ~int | ~int64](n T) string {
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

func componentName(c schema.Component) string { return componentNames[c] }

// label writes a component's name, or any other identifier as words.
func label(s string) string {
	if c, ok := schema.ParseComponent(s); ok {
		return componentName(c)
	}
	return schema.Words(s)
}

// plural is n with the noun, made plural when n is not 1.
func plural[T ~int | ~int64](n T, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return count(n) + " " + many
}

// interval writes a 90% interval: 41.2–55.0.
func interval(lo, hi float64, digits int) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return notMeasured
	}
	return num(lo, digits) + "–" + num(hi, digits)
}

// printedDiff is now − prev as a reader computes it from the two figures
// printed with digits decimals, so a printed change always equals the
// difference of the printed values.
func printedDiff(now, prev float64, digits int) float64 {
	s := math.Pow10(digits)
	return (math.Round(now*s) - math.Round(prev*s)) / s
}
