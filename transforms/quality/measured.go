package quality

import (
	"fmt"
	"math"
	"strings"

	"github.com/partnerq/pqi/transforms/schema"
)

// Columns whose presence decides whether a component can be measured,
// counted while the snapshot loads: a column null in every row was never
// exported (or never filled), and the component that needs it is
// no_column, not "every partner scores zero".
type filledColumn uint8

const (
	filledQualified filledColumn = iota
	filledAEInvited
	filledAttached
	filledMarketplace
	filledRegistered
	filledFirstValue
	filledStaff // certified_staff and total_staff on the same row
	filledCaseStudies
	numFilled
	filledNone = numFilled // the component needs no optional column
)

var filledNames = [numFilled]string{
	filledQualified: "deals.qualified", filledAEInvited: "deals.ae_invited", filledAttached: "deals.services_attached",
	filledMarketplace: "deals.via_marketplace", filledRegistered: "deals.registered_date", filledFirstValue: "deals.first_value_date",
	filledStaff: "partners.certified_staff/total_staff", filledCaseStudies: "partners.case_studies",
}

// componentNeeds is, per component, the source whose rows it is computed
// from and the optional column it needs filled.
var componentNeeds = [schema.NumComponents]struct {
	source string
	column filledColumn
}{
	schema.CompWinRate:       {schema.DealPartners, filledNone},
	schema.CompCSAT:          {schema.CSAT, filledNone},
	schema.CompTimeToValue:   {schema.DealPartners, filledFirstValue},
	schema.CompChurnRate:     {schema.Churn, filledNone},
	schema.CompAttachRate:    {schema.DealPartners, filledAttached},
	schema.CompLeadQuality:   {schema.DealPartners, filledQualified},
	schema.CompRegistration:  {schema.DealPartners, filledRegistered},
	schema.CompAEPullThrough: {schema.DealPartners, filledAEInvited},
	schema.CompCertification: {schema.Partners, filledStaff},
	schema.CompCaseStudies:   {schema.Partners, filledCaseStudies},
	schema.CompMarketplace:   {schema.DealPartners, filledMarketplace},
}

// sourceRows is how many rows of a source the snapshot holds.
func (in *inputs) sourceRows(source string) int {
	switch source {
	case schema.Partners:
		return len(in.pID)
	case schema.DealPartners:
		return in.dpRows
	case schema.CSAT:
		return in.csatRows
	case schema.Churn:
		return in.churnRows
	}
	return 0
}

// availability is a component's status over the whole snapshot, before
// any window: measured, or why it cannot be, with the reason in words.
func (in *inputs) availability(c schema.Component) (schema.ComponentStatus, string) {
	need := componentNeeds[c]
	if in.sourceRows(need.source) == 0 {
		if need.source == schema.DealPartners {
			return schema.NoExport, "no deal_partners rows: every deal is direct, so no partner has deals"
		}
		return schema.NoExport, fmt.Sprintf("no %s export", need.source)
	}
	if need.column != filledNone && in.filled[need.column] == 0 {
		return schema.NoColumn, fmt.Sprintf("%s is empty in every row", filledNames[need.column])
	}
	return schema.Measured, ""
}

// unmeasured is the estimate of a component the ecosystem does not
// measure: no rows, every value null, no partner effect and no
// uncertainty, so it adds nothing to the composite.
func unmeasured(nP int) *est {
	e := newEst(nP)
	for p := 0; p < nP; p++ {
		e.obs[p], e.exp[p], e.shrunk[p], e.low[p], e.high[p] = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
	}
	e.tau2 = 1
	return e
}

// status is component c's status for partner p in window r.
func (r *windowResult) status(c schema.Component, p int) schema.ComponentStatus {
	if s := r.compStatus[c]; s != schema.Measured {
		return s
	}
	if r.comp[c].n[p] == 0 {
		return schema.NoPartnerRows
	}
	return schema.Measured
}

// notMeasured lists partner p's components that were not measured, with
// the status that says why ("" when all were).
func (r *windowResult) notMeasured(p int) string {
	var out []string
	for c := range schema.Component(schema.NumComponents) {
		if s := r.status(c, p); s != schema.Measured {
			out = append(out, fmt.Sprintf("%s (%s)", c, s))
		}
	}
	return strings.Join(out, "; ")
}

// measuredWeight is the share of the composite's weight on components
// measured from partner p's own rows.
func (r *windowResult) measuredWeight(p int) float64 {
	var w float64
	for c := range schema.Component(schema.NumComponents) {
		if r.status(c, p) == schema.Measured {
			w += r.weights[c]
		}
	}
	return w
}

// effectiveWeights re-weights the configured weights over the measured
// components within the guardrails (docs/methodology.md, "Missing data").
// Each kind (lagging, leading, activity) keeps its components' relative
// weights; kinds are rescaled to sum to 1, then activity is cut to its cap
// and lagging raised to its minimum, moving weight between kinds in
// proportion to what they hold. When a guardrail cannot hold because the
// data lack the components it needs, the weights are the best the data
// allow and why says what is missing.
func effectiveWeights(configured []float64, measured [schema.NumComponents]bool, cfg Config) (w []float64, partial bool, why string) {
	w = make([]float64, len(configured))
	all := true
	for c, v := range configured {
		all = all && (v == 0 || measured[c])
	}
	if all { // the configuration already holds the guardrails
		copy(w, configured)
		return w, false, ""
	}
	var kind [3]float64
	var total float64
	for c, v := range configured {
		if measured[c] {
			w[c] = v
			kind[componentKinds[c]] += v
			total += v
		}
	}
	if total == 0 {
		return w, true, "no component with weight is measured"
	}
	for c := range w {
		w[c] /= total
	}
	for k := range kind {
		kind[k] /= total
	}
	partial, why = holdGuardrails(w, kind, cfg)
	return w, partial, why
}

// holdGuardrails scales weights w (summing to 1, kind their sums by
// component kind) in place so that activity carries at most its cap and
// lagging outcomes at least their minimum; partial says one cannot hold.
func holdGuardrails(w []float64, kind [3]float64, cfg Config) (partial bool, why string) {
	var reasons []string
	scaleKind := func(k int, to float64) {
		for c := range w {
			if componentKinds[c] == k && kind[k] > 0 {
				w[c] *= to / kind[k]
			}
		}
		kind[k] = to
	}
	// activity above its cap gives the excess to the other kinds
	if kind[kindActivity] > cfg.ActivityWeightCap+1e-12 {
		rest := kind[kindLagging] + kind[kindLeading]
		if rest == 0 {
			reasons = append(reasons, "only activity signals are measured, so activity carries the whole index")
		} else {
			excess := kind[kindActivity] - cfg.ActivityWeightCap
			scaleKind(kindActivity, cfg.ActivityWeightCap)
			for _, k := range []int{kindLagging, kindLeading} {
				scaleKind(k, kind[k]+excess*kind[k]/rest)
			}
		}
	}
	// lagging below its minimum takes from the others
	if kind[kindLagging] < cfg.LaggingWeightMin-1e-12 {
		rest := kind[kindLeading] + kind[kindActivity]
		if kind[kindLagging] == 0 {
			reasons = append(reasons, "no lagging outcome (win rate, CSAT, time to value, churn, attach rate) is measured")
		} else {
			short := cfg.LaggingWeightMin - kind[kindLagging]
			scaleKind(kindLagging, cfg.LaggingWeightMin)
			for _, k := range []int{kindLeading, kindActivity} {
				scaleKind(k, kind[k]-short*kind[k]/rest)
			}
		}
	}
	return len(reasons) > 0, strings.Join(reasons, "; ")
}

// Weights are the component weights a score uses on one date.
type Weights struct {
	From       schema.Day // effective_from of the configured set
	Configured []float64  // by component, as configured
	InForce    []float64  // by component, re-weighted over the measured components
	Kinds      []string   // by component: lagging, leading or activity
	Partial    string     // why the weight guardrails could not hold; "" = they held
}

var kindNames = [...]string{kindLagging: "lagging", kindLeading: "leading", kindActivity: "activity"}

// WeightsInForce are the weights a score of asOf uses when the components
// measured in the ecosystem are those marked in measured: what the board
// report prints, computed the way scoring computes them.
func WeightsInForce(cfg Config, asOf schema.Day, measured [schema.NumComponents]bool) (Weights, error) {
	conf, from, err := cfg.weightsAt(asOf)
	if err != nil {
		return Weights{}, err
	}
	w, partial, why := effectiveWeights(conf, measured, cfg)
	out := Weights{From: from, Configured: conf, InForce: w}
	for c := range schema.Component(schema.NumComponents) {
		out.Kinds = append(out.Kinds, kindNames[componentKinds[c]])
	}
	if partial {
		out.Partial = why
	}
	return out, nil
}

// Needs is the source component c is computed from and the optional
// export column it needs ("" = none): what a missing component lacks.
func Needs(c schema.Component) (source, column string) {
	n := componentNeeds[c]
	if n.column != filledNone {
		column = filledNames[n.column]
	}
	return n.source, column
}
