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
	exitWarn []bool
}

// tierMeasures are what the requirements are checked against.
type tierMeasures struct {
	certified, qualifiedPerYear, caseStudies, csat, wonRevenuePerYear float64
}

func (in *inputs) measures(r *windowResult, cfg Config, p int) tierMeasures {
	perYear := 4 / float64(cfg.WindowQuarters)
	m := tierMeasures{
		qualifiedPerYear:  float64(r.qualifiedDeals[p]) * perYear,
		csat:              r.comp[schema.CompCSAT].shrunk[p],
		wonRevenuePerYear: r.wonRevenue[p] * perYear,
	}
	if in.pCert[p] != noInt {
		m.certified = float64(in.pCert[p])
	}
	if in.pCase[p] != noInt {
		m.caseStudies = float64(in.pCase[p])
	}
	return m
}

// unmet lists the requirements of tier t that m misses, each threshold
// lowered by the share slack (0 = as configured).
func unmet(cfg Config, t schema.Tier, m tierMeasures, slack float64) []string {
	req, ok := cfg.Tiers.Requirements[t.String()]
	if !ok || t == schema.TierRegistered {
		return nil
	}
	var out []string
	check := func(name string, have, need float64) {
		if need > 0 && have < need*(1-slack) {
			out = append(out, fmt.Sprintf("%s %s < %s", name, num(have), num(need)))
		}
	}
	check("certified_staff", m.certified, req.CertifiedStaff)
	check("qualified_opportunities/yr", m.qualifiedPerYear, req.QualifiedOpportunities)
	check("case_studies", m.caseStudies, req.CaseStudies)
	check("csat", m.csat, req.CSAT)
	check("won_revenue_usd/yr", m.wonRevenuePerYear, req.WonRevenueUSD)
	return out
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

// eligible is the highest tier whose requirements are all met.
func eligible(cfg Config, m tierMeasures) schema.Tier {
	best := schema.TierRegistered
	for t := schema.TierSilver; t <= schema.TierPlatinum; t++ {
		if len(unmet(cfg, t, m, 0)) == 0 {
			best = t
		}
	}
	return best
}

// recommendTiers applies the tier rules with hysteresis: a move needs the
// evidence in this quarter and the one before (docs/methodology.md, "Tiers").
func (in *inputs) recommendTiers(cur, prev *windowResult, cfg Config, asOf int32) *tierResult {
	nP := len(in.pID)
	tr := &tierResult{rec: make([]schema.TierAdvice, nP), target: make([]schema.Tier, nP), reason: make([]string, nP), exitWarn: make([]bool, nP)}
	tc := cfg.Tiers
	for p := 0; p < nP; p++ {
		tier := in.pTier[p]
		tierNote := ""
		if tier == schema.NullEnum {
			tier, tierNote = schema.TierRegistered, " (no program_tier: treated as registered)"
		}
		mNow, mPrev := in.measures(cur, cfg, p), in.measures(prev, cfg, p)
		eNow, ePrev := eligible(cfg, mNow), eligible(cfg, mPrev)
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
				why = append(why, fmt.Sprintf("meets %s requirements for two quarters but the PQI has insufficient evidence", to))
			case cur.pqi[p] < tc.PromoteMinPQI:
				tr.rec[p] = schema.RecHold
				why = append(why, fmt.Sprintf("meets %s requirements for two quarters but PQI %.0f is below %g", to, cur.pqi[p], tc.PromoteMinPQI))
			default:
				tr.rec[p], tr.target[p] = schema.RecPromote, to
				why = append(why, fmt.Sprintf("meets %s requirements this quarter and last, PQI %.0f", to, cur.pqi[p]))
			}
		case eNow < tier && ePrev < tier:
			missed := unmet(cfg, tier, mNow, tc.DemoteMargin)
			if len(missed) == 0 {
				tr.rec[p] = schema.RecHold
				why = append(why, fmt.Sprintf("short of %s requirements for two quarters but within the %.0f%% margin: %s",
					tier, 100*tc.DemoteMargin, strings.Join(unmet(cfg, tier, mNow, 0), ", ")))
			} else {
				to := max(eNow, ePrev)
				tr.rec[p], tr.target[p] = schema.RecDemote, to
				why = append(why, fmt.Sprintf("short of %s requirements this quarter and last: %s", tier, strings.Join(missed, ", ")))
			}
		default:
			tr.rec[p] = schema.RecHold
			switch {
			case eNow > tier || ePrev > tier:
				why = append(why, fmt.Sprintf("meets %s requirements in one of the last two quarters only", max(eNow, ePrev)))
			case eNow < tier || ePrev < tier:
				m := mNow
				if eNow >= tier {
					m = mPrev
				}
				why = append(why, fmt.Sprintf("short of %s requirements in one of the last two quarters only (%s)", tier, strings.Join(unmet(cfg, tier, m, 0), ", ")))
			default:
				why = append(why, fmt.Sprintf("meets %s requirements", tier))
			}
		}
		tr.reason[p] = strings.Join(why, "; ") + tierNote
	}
	return tr
}
