package quality

import (
	"fmt"
	"math"
	"strings"

	"github.com/partnerq/pqi/transforms/schema"
)

type tierResult struct {
	rec      []schema.TierAdvice
	target   []schema.Tier // schema.NullEnum = null
	reason   []string
	next     []string // what the next tier up needs that the partner lacks; "" at the top
	exitWarn []bool
}

// tierMeasures are what the requirements are checked against, with the
// upper end of each outcome's interval: a demotion needs the outcome short
// beyond what chance explains.
type tierMeasures struct {
	certified, qualifiedPerYear, caseStudies, csat, wonRevenuePerYear float64
	qualifiedHigh, csatHigh, wonRevenueHigh                           float64
	satisfied, satisfiedHigh                                          float64 // NaN when CSAT is not measured
}

// satisfiedScore is the lowest CSAT score (of 1-5) that counts as
// satisfied: the top two boxes, as a "CSAT %" is usually reported.
const satisfiedScore = 4

// satisfiedShare is the share of k satisfied among n responses as the
// requirement reads it: the Jeffreys posterior mean (k + 1/2) / (n + 1),
// so that nine of nine is 95% and three of three 88%: a few happy
// customers do not meet a 90% requirement by luck, and a partner without
// responses (1/2) meets none. high is the posterior's upper end at level.
func satisfiedShare(k, n int64, level float64) (share, high float64) {
	a, b := float64(k)+0.5, float64(n-k)+0.5
	return a / (a + b), betaQuantile((1+level)/2, a, b)
}

// countHigh is the upper end of the exact one-sided interval of level
// (1+level)/2 for a Poisson mean with k events observed: the largest rate a
// count of k does not rule out.
func countHigh(k int64, level float64) float64 {
	return gammaQuantile((1+level)/2, float64(k)+1, 1)
}

func (in *inputs) measures(r *windowResult, cfg Config, p int) tierMeasures {
	perYear := 4 / float64(cfg.WindowQuarters)
	m := tierMeasures{
		qualifiedPerYear:  float64(r.qualifiedDeals[p]) * perYear,
		csat:              r.comp[schema.CompCSAT].shrunk[p],
		wonRevenuePerYear: r.wonRevenue[p] * perYear,
		qualifiedHigh:     countHigh(r.qualifiedDeals[p], cfg.IntervalLevel) * perYear,
		csatHigh:          r.comp[schema.CompCSAT].high[p],
	}
	// revenue is a count of wins times their sizes and the count's chance
	// dominates, so the bound scales the revenue by it (no wins: no revenue
	// to scale, and the miss stands)
	if k := r.wonDeals[p]; k > 0 {
		m.wonRevenueHigh = m.wonRevenuePerYear * countHigh(k, cfg.IntervalLevel) / float64(k)
	}
	m.satisfied, m.satisfiedHigh = math.NaN(), math.NaN()
	if r.compStatus[schema.CompCSAT] == schema.Measured {
		m.satisfied, m.satisfiedHigh = satisfiedShare(r.csatSatisfied[p], r.csatN[p], cfg.IntervalLevel)
	}
	if in.pCert[p] != noInt {
		m.certified = float64(in.pCert[p])
	}
	if in.pCase[p] != noInt {
		m.caseStudies = float64(in.pCase[p])
	}
	return m
}

// miss is one requirement a partner is short of.
type miss struct {
	name       string
	unit       missUnit
	have, need float64
	high       float64 // an outcome's interval upper end; NaN for a program requirement
	// outcome: the requirement measures what the partner's customers did
	// (qualified opportunities, CSAT, won revenue); the others (certified
	// staff, case studies) are program activity, which never demotes.
	outcome bool
}

// missUnit is how a requirement's values are written.
type missUnit uint8

const (
	unitCount missUnit = iota // 3, or 9.15 a year
	unitShare                 // 88%
	unitUSD                   // $750k, $3.0M
)

func (m miss) String() string {
	return fmt.Sprintf("%s %s (needs %s)", m.name, m.value(m.have), m.value(m.need))
}

// value writes a measure: money as $750k or $3.0M, shares as 88%, the
// rest as num.
func (m miss) value(v float64) string {
	switch m.unit {
	case unitShare:
		return fmt.Sprintf("%.0f%%", 100*v)
	case unitCount:
		return num(v)
	}
	switch a := math.Abs(v); {
	case a >= 1e6:
		return fmt.Sprintf("$%.1fM", v/1e6)
	case a >= 1e3:
		return fmt.Sprintf("$%.0fk", v/1e3)
	}
	return fmt.Sprintf("$%.0f", v)
}

// unmet lists the requirements of tier t that m misses, each threshold
// lowered by the share slack (0 = as configured).
func unmet(cfg Config, t schema.Tier, m tierMeasures, slack float64) []miss {
	req, ok := cfg.Tiers.Requirements[t.String()]
	if !ok || t == schema.TierRegistered {
		return nil
	}
	var out []miss
	check := func(name string, unit missUnit, have, need, high float64, outcome bool) {
		if need > 0 && have < need*(1-slack) {
			out = append(out, miss{name, unit, have, need, high, outcome})
		}
	}
	check("certified staff", unitCount, m.certified, req.CertifiedStaff, math.NaN(), false)
	check("qualified opportunities a year", unitCount, m.qualifiedPerYear, req.QualifiedOpportunities, m.qualifiedHigh, true)
	check("case studies", unitCount, m.caseStudies, req.CaseStudies, math.NaN(), false)
	check("average CSAT", unitCount, m.csat, req.CSAT, m.csatHigh, true)
	check("satisfied customers", unitShare, m.satisfied, req.CSATSatisfiedShare, m.satisfiedHigh, true)
	check("won revenue a year", unitUSD, m.wonRevenuePerYear, req.WonRevenueUSD, m.wonRevenueHigh, true)
	return out
}

// confident: an outcome short of its requirement beyond chance, the whole
// interval below it.
func (m miss) confident() bool { return m.outcome && m.high < m.need }

// joinMisses lists misses as "name have < need, ...".
func joinMisses(ms []miss) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.String()
	}
	return strings.Join(parts, ", ")
}

// bounds writes the outcomes' upper ends: "qualified opportunities a year
// at most 9.15 (90% upper bound)".
func bounds(ms []miss, level float64) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = fmt.Sprintf("%s at most %s", m.name, m.value(m.high))
	}
	return strings.Join(parts, ", ") + fmt.Sprintf(" (%.0f%% upper bound)", 100*level)
}

// needs says what meeting the misses takes: "case studies 2 (now 0)".
func needs(ms []miss) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = fmt.Sprintf("%s %s (now %s)", m.name, m.value(m.need), m.value(m.have))
	}
	return strings.Join(parts, ", ")
}

func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	if math.Abs(v) >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// eligible is the highest tier whose requirements are all met; with
// outcomesOnly, whose outcome requirements are (where a demotion lands:
// program requirements never demote).
func eligible(cfg Config, m tierMeasures, outcomesOnly bool) schema.Tier {
	best := schema.TierRegistered
	for t := schema.TierSilver; t <= schema.TierPlatinum; t++ {
		met := true
		for _, ms := range unmet(cfg, t, m, 0) {
			met = met && outcomesOnly && !ms.outcome
		}
		if met {
			best = t
		}
	}
	return best
}

// recommendTiers applies the tier rules with hysteresis: a move needs the
// evidence in this quarter and the one before (docs/methodology.md, "Tiers").
func (in *inputs) recommendTiers(cur, prev *windowResult, cfg Config, asOf schema.Day) *tierResult {
	nP := len(in.pID)
	tr := &tierResult{rec: make([]schema.TierAdvice, nP), target: make([]schema.Tier, nP), reason: make([]string, nP), next: make([]string, nP), exitWarn: make([]bool, nP)}
	tc := cfg.Tiers
	for p := 0; p < nP; p++ {
		tier := in.pTier[p]
		tierNote := ""
		if tier == schema.NullEnum {
			tier, tierNote = schema.TierRegistered, " (no program_tier: treated as registered)"
		}
		mNow, mPrev := in.measures(cur, cfg, p), in.measures(prev, cfg, p)
		eNow, ePrev := eligible(cfg, mNow, false), eligible(cfg, mPrev, false)
		tr.exitWarn[p] = !math.IsNaN(cur.churnRRLow[p]) && cur.churnRRLow[p] > cfg.ExitWarning.ChurnRateRatioLow
		poor := cur.scored[p] && prev.scored[p] && cur.pqiHigh[p] < tc.ReviewExitMaxPQI && prev.pqiHigh[p] < tc.ReviewExitMaxPQI
		guardBoth := cur.guard[p] && prev.guard[p]
		tr.target[p] = tier
		var why []string
		switch {
		case tr.exitWarn[p] || poor || guardBoth:
			tr.rec[p] = schema.RecReviewExit
			if tr.exitWarn[p] {
				why = append(why, fmt.Sprintf("customers churn at %.1fx the direct rate for the same case mix (90%% interval %.1f-%.1f, above %.1f)",
					cur.churnRR[p], cur.churnRRLow[p], cur.churnRRHigh[p], cfg.ExitWarning.ChurnRateRatioLow))
			}
			if poor {
				why = append(why, fmt.Sprintf("PQI upper bound below %g for two quarters (%.0f, %.0f)", tc.ReviewExitMaxPQI, prev.pqiHigh[p], cur.pqiHigh[p]))
			}
			if guardBoth {
				why = append(why, "failing delivery capped the PQI for two quarters")
			}
		case eNow > tier && ePrev > tier:
			to := min(eNow, ePrev)
			switch {
			case !cur.scored[p]:
				tr.rec[p] = schema.RecHold
				why = append(why, fmt.Sprintf("meets %s requirements for two quarters but the PQI has insufficient evidence; promoted once scored with PQI %g or more", to, tc.PromoteMinPQI))
			case cur.pqi[p] < tc.PromoteMinPQI:
				tr.rec[p] = schema.RecHold
				why = append(why, fmt.Sprintf("meets %s requirements for two quarters but PQI %.0f is below %g; a PQI of %g promotes", to, cur.pqi[p], tc.PromoteMinPQI, tc.PromoteMinPQI))
			default:
				tr.rec[p], tr.target[p] = schema.RecPromote, to
				why = append(why, fmt.Sprintf("meets %s requirements this quarter and last, PQI %.0f", to, cur.pqi[p]))
			}
		case eNow < tier && ePrev < tier:
			var w string
			tr.rec[p], tr.target[p], w = shortOfTier(cfg, tier, mNow, mPrev, cur.scored[p] && prev.scored[p], cur.pqi[p])
			why = append(why, w)
		default:
			tr.rec[p] = schema.RecHold
			switch {
			case eNow > tier || ePrev > tier:
				why = append(why, fmt.Sprintf("meets %s requirements in one of the last two quarters only; two quarters in a row promote", max(eNow, ePrev)))
			case eNow < tier || ePrev < tier:
				m := mNow
				if eNow >= tier {
					m = mPrev
				}
				why = append(why, fmt.Sprintf("short of %s requirements in one of the last two quarters only (%s); short two quarters in a row puts the tier at risk or, for an outcome, demotes", tier, joinMisses(unmet(cfg, tier, m, 0))))
			default:
				why = append(why, fmt.Sprintf("meets %s requirements", tier))
			}
		}
		tr.reason[p] = strings.Join(why, "; ") + tierNote
		if tier < schema.TierPlatinum {
			tr.next[p] = nextTierGaps(cfg, tier+1, mNow)
		}
	}
	return tr
}

// nextTierGaps says what tier needs that m lacks, requirement by
// requirement: "gold: case studies 1 (needs 3)". Meeting them in two
// quarters in a row, with a PQI of PromoteMinPQI, promotes.
func nextTierGaps(cfg Config, tier schema.Tier, m tierMeasures) string {
	misses := unmet(cfg, tier, m, 0)
	if len(misses) == 0 {
		return fmt.Sprintf("%s: every requirement met this quarter; two quarters in a row with a PQI of %g promote", tier, cfg.Tiers.PromoteMinPQI)
	}
	return fmt.Sprintf("%s: %s", tier, joinMisses(misses))
}

// shortOfTier decides for a partner whose measures are below its tier in
// this quarter and the one before: hold within the margin, at_risk for a
// program requirement or an outcome short within chance or without
// evidence, demote for an outcome short beyond chance in both quarters.
func shortOfTier(cfg Config, tier schema.Tier, mNow, mPrev tierMeasures, scored bool, pqi float64) (schema.TierAdvice, schema.Tier, string) {
	tc := cfg.Tiers
	missed := unmet(cfg, tier, mNow, tc.DemoteMargin)
	before := map[string]bool{} // missed beyond chance last quarter too
	for _, m := range unmet(cfg, tier, mPrev, 0) {
		before[m.name] = m.confident()
	}
	var outcomes []miss // outcomes missed beyond chance in both quarters: the only misses that demote
	for _, m := range missed {
		if m.confident() && before[m.name] {
			outcomes = append(outcomes, m)
		}
	}
	switch {
	case len(missed) == 0:
		all := unmet(cfg, tier, mNow, 0)
		return schema.RecHold, tier, fmt.Sprintf("short of %s requirements for two quarters but within the %.0f%% margin: %s; meeting %s keeps it off the at-risk list",
			tier, 100*tc.DemoteMargin, joinMisses(all), needs(all))
	case len(outcomes) == 0:
		notDemoted := "a program requirement alone never demotes"
		for _, m := range missed {
			if m.outcome {
				notDemoted = "no outcome is short beyond chance in both quarters"
			}
		}
		return schema.RecAtRisk, tier, fmt.Sprintf("short of %s requirements this quarter and last: %s; not demoted: %s; meeting %s clears it",
			tier, joinMisses(missed), notDemoted, needs(missed))
	case !scored:
		return schema.RecAtRisk, tier, fmt.Sprintf("short of %s requirements this quarter and last: %s; not demoted: the PQI has insufficient evidence to confirm it; demoted when scored and still short, unless it meets %s",
			tier, joinMisses(missed), needs(outcomes))
	}
	to := min(tier-1, max(eligible(cfg, mNow, true), eligible(cfg, mPrev, true)))
	return schema.RecDemote, to, fmt.Sprintf("short of %s requirements this quarter and last, PQI %.0f: %s; short beyond chance in both quarters: %s; meeting %s would keep %s",
		tier, pqi, joinMisses(missed), bounds(outcomes, cfg.IntervalLevel), needs(outcomes), tier)
}

// unchecked says which configured tier requirements no input can check:
// positioning accuracy, until positioning reviews are in the contract.
func unchecked(tc TierConfig) []string {
	var parts []string
	for _, t := range []schema.Tier{schema.TierSilver, schema.TierGold, schema.TierPlatinum} {
		if v := tc.Requirements[t.String()].PositioningAccuracy; v > 0 {
			parts = append(parts, fmt.Sprintf("%s %.0f%%", t, 100*v))
		}
	}
	if len(parts) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("The tier requirement on positioning accuracy (%s of reviewed demos) is not checked: no input carries positioning reviews yet, so no partner meets or misses it.", strings.Join(parts, ", "))}
}
