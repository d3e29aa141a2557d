package quality

import (
	"fmt"
	"math"
	"slices"

	"github.com/partnerq/pqi/transforms/schema"
)

// checkTargets checks the healthy targets: each names a component with a
// target column and is a number in that component's units (a share from 0
// to 1, a CSAT score up to 5, days); 0 switches a target off.
func checkTargets(t map[string]float64) error {
	for name, v := range t {
		c, ok := schema.ParseComponent(name)
		if !ok || !slices.ContainsFunc(schema.HealthyTargets, func(h schema.HealthyTarget) bool { return h.Comp == c }) {
			names := make([]string, len(schema.HealthyTargets))
			for i, h := range schema.HealthyTargets {
				names[i] = h.Comp.String()
			}
			return fmt.Errorf("healthy_targets: %q has no healthy target (known: %v)", name, names)
		}
		top := 1.0
		switch c {
		case schema.CompCSAT:
			top = 5
		case schema.CompTimeToValue:
			top = math.Inf(1)
		}
		if !(v >= 0 && v <= top) {
			return fmt.Errorf("healthy_targets: %s is %g; it must be from 0 (off) to %g (%s)", name, v, top, targetUnits(c))
		}
	}
	return nil
}

// targetUnits says what a target's number means.
func targetUnits(c schema.Component) string {
	switch c {
	case schema.CompCSAT:
		return "a mean CSAT score, 1-5"
	case schema.CompTimeToValue:
		return "days"
	}
	return "a share, 0.25 for 25%"
}

// targetValue is the raw value a component's healthy target compares for
// partner p, NaN without evidence: the observed value, except churn, whose
// target is a 12-month churn share and whose observed value a rate per
// customer-year (at rate r, 1 - exp(-r) of customers churn within a year).
func targetValue(c schema.Component, e *est, p int) float64 {
	if e == nil || e.n[p] == 0 || math.IsNaN(e.obs[p]) {
		return math.NaN()
	}
	if c == schema.CompChurnRate {
		return -math.Expm1(-e.obs[p])
	}
	return e.obs[p]
}

// targetResult compares v with target t: met when v is on the healthy side
// (strictly above, or below when below), ok false when there is nothing to
// compare (no evidence, or the target off).
func targetResult(h schema.HealthyTarget, v, t float64) (schema.TargetResult, bool) {
	if math.IsNaN(v) || !(t > 0) {
		return 0, false
	}
	if (h.Below && v < t) || (!h.Below && v > t) {
		return schema.TargetMet, true
	}
	return schema.TargetMissed, true
}
