package quality

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/partnerq/pqi/transforms/schema"
)

// quarter is one partner's window: what the tier rules read.
type quarter struct {
	scored           bool
	pqi              float64
	qualified        int64   // qualified deals in the window
	csat, wonRevenue float64 // shrunk CSAT, won revenue in the window
	won              int64   // won deals behind wonRevenue
	responses, happy int64   // CSAT responses in the window, those scoring 4 or 5
}

// tierCase runs the tier rules for one partner of tier tier with certified
// staff and case studies, over the previous and the current quarter.
func tierCase(t *testing.T, tier schema.Tier, certified, cases int64, prev, cur quarter) (schema.TierAdvice, schema.Tier, string) {
	t.Helper()
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	in := &inputs{pID: []string{"P1"}, pTier: []schema.Tier{tier}, pCert: []int64{certified}, pCase: []int64{cases}}
	window := func(q quarter) *windowResult {
		r := &windowResult{qualifiedDeals: []int64{q.qualified}, wonRevenue: []float64{q.wonRevenue}, wonDeals: []int64{q.won},
			scored: []bool{q.scored}, pqi: []float64{q.pqi}, pqiHigh: []float64{q.pqi + 5}, guard: []bool{false},
			churnRR: []float64{math.NaN()}, churnRRLow: []float64{math.NaN()}, churnRRHigh: []float64{math.NaN()}}
		r.comp[schema.CompCSAT] = &est{shrunk: []float64{q.csat}, high: []float64{q.csat + 0.2}}
		r.csatN, r.csatSatisfied = []int64{q.responses}, []int64{q.happy}
		return r
	}
	tr := in.recommendTiers(window(cur), window(prev), cfg, 0)
	return tr.rec[0], tr.target[0], tr.reason[0]
}

// A program requirement (case studies, certified staff) never demotes; an
// outcome does, only for a scored partner short beyond chance two quarters
// in a row (the 90% upper bound below the requirement); a
// demotion lands on the highest tier whose outcomes the partner meets; and
// every reason says what would change the decision.
func TestTierDecisionsOnEvidence(t *testing.T) {
	// gold by default: 5 certified, 15 qualified/yr, 3 case studies, 90% of
	// CSAT responses satisfied
	good := quarter{scored: true, pqi: 89, qualified: 20, csat: 4.2, wonRevenue: 1e6, won: 8, responses: 40, happy: 39}
	// 6 qualified: a rate of 15 gives 6 or fewer under 1% of the time; the
	// upper bound of 6 is 11.8.
	short := good
	short.pqi, short.qualified = 60, 6
	// 9 qualified (upper bound 15.7): short, but a rate of 15 gives 9 or
	// fewer 7% of the time
	chance := short
	chance.qualified = 9
	// 28 of 40 satisfied: Jeffreys share 70%, at most 81% (90% upper bound)
	unhappy := good
	unhappy.pqi, unhappy.happy = 60, 28
	// four of five: 75%, short, but not beyond chance on five responses
	few := good
	few.responses, few.happy = 5, 4
	unscored := short
	unscored.scored = false
	for _, c := range []struct {
		name             string
		certified, case_ int64
		prev, cur        quarter
		want             schema.TierAdvice
		to               schema.Tier
		reason           []string
	}{
		{"meets gold", 6, 3, good, good, schema.RecHold, schema.TierGold, []string{"meets gold requirements"}},
		{"case studies short, PQI 89", 6, 0, good, good, schema.RecAtRisk, schema.TierGold,
			[]string{"case studies 0 (needs 3)", "never demotes", "meeting case studies 3 (now 0) clears it"}},
		{"satisfaction short beyond chance, two quarters", 6, 3, unhappy, unhappy, schema.RecDemote, schema.TierSilver,
			[]string{"satisfied customers 70% (needs 90%)", "satisfied customers at most 81%", "meeting satisfied customers 90% (now 70%) would keep gold"}},
		{"four happy customers of five", 6, 3, few, few, schema.RecAtRisk, schema.TierGold,
			[]string{"satisfied customers 75% (needs 90%)", "not demoted: no outcome is short beyond chance"}},
		{"certified staff short", 1, 3, good, good, schema.RecAtRisk, schema.TierGold, []string{"certified staff 1 (needs 5)"}},
		{"outcomes short, scored, two quarters", 6, 3, short, short, schema.RecDemote, schema.TierSilver,
			[]string{"qualified opportunities a year 6 (needs 15)", "short beyond chance in both quarters: qualified opportunities a year at most 11.84 (90% upper bound)", "meeting qualified opportunities a year 15 (now 6) would keep gold"}},
		{"outcomes short within chance, scored, two quarters", 6, 3, chance, chance, schema.RecAtRisk, schema.TierGold,
			[]string{"qualified opportunities a year 9 (needs 15)", "not demoted: no outcome is short beyond chance", "meeting qualified opportunities a year 15 (now 9)"}},
		{"outcomes short beyond chance in one quarter, within it in the other", 6, 3, chance, short, schema.RecAtRisk, schema.TierGold,
			[]string{"short beyond chance"}},
		{"outcomes short, insufficient evidence", 6, 3, unscored, unscored, schema.RecAtRisk, schema.TierGold,
			[]string{"not demoted: the PQI has insufficient evidence", "demoted when scored and still short"}},
		{"outcomes short, scored this quarter only", 6, 3, unscored, short, schema.RecAtRisk, schema.TierGold, []string{"insufficient evidence"}},
		{"outcomes short one quarter", 6, 3, good, short, schema.RecHold, schema.TierGold, []string{"one of the last two quarters only", "two quarters in a row"}},
		// short of gold's outcomes and of silver's case studies? silver asks none: lands on silver
		{"outcomes and case studies short", 6, 0, short, short, schema.RecDemote, schema.TierSilver, []string{"case studies 0 (needs 3)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, to, reason := tierCase(t, schema.TierGold, c.certified, c.case_, c.prev, c.cur)
			if got != c.want || to != c.to {
				t.Errorf("%s to %s, want %s to %s (%s)", got, to, c.want, c.to, reason)
			}
			for _, w := range c.reason {
				if !strings.Contains(reason, w) {
					t.Errorf("reason %q lacks %q", reason, w)
				}
			}
		})
	}
	// Platinum short of its revenue ($600k from 20 wins: at most $900k) but
	// meeting gold's outcomes, short of gold's case studies: demoted to gold
	// (case studies do not push it further).
	plat := good
	plat.pqi, plat.wonRevenue, plat.won = 82, 6e5, 20
	cfg, _ := DefaultConfig()
	if cfg.Tiers.Requirements["gold"].CaseStudies < 2 || cfg.Tiers.Requirements["platinum"].WonRevenueUSD != 1e6 {
		t.Fatal("the defaults changed: revisit this case")
	}
	if got, to, reason := tierCase(t, schema.TierPlatinum, 12, 1, plat, plat); got != schema.RecDemote || to != schema.TierGold {
		t.Errorf("platinum short of outcomes: %s to %s, want demote to gold (%s)", got, to, reason)
	}
}

// The satisfaction requirement reads the Jeffreys share: a handful of happy
// customers is not 100%, and no responses is not a pass.
func TestSatisfiedShare(t *testing.T) {
	for _, c := range []struct {
		k, n int64
		want float64
	}{{9, 9, 0.95}, {3, 3, 0.875}, {0, 0, 0.5}, {36, 40, 36.5 / 41}} {
		got, high := satisfiedShare(c.k, c.n, 0.9)
		if math.Abs(got-c.want) > 1e-12 || high <= got || high > 1 {
			t.Errorf("%d of %d: %g (high %g), want %g with a higher upper end", c.k, c.n, got, high, c.want)
		}
	}
	b := string(DefaultConfigYAML())
	bad := strings.Replace(b, "csat_satisfied_share: 0.90", "csat_satisfied_share: 90", 1)
	if _, err := ParseConfig([]byte(bad)); bad == b || err == nil || !strings.Contains(err.Error(), "it is a share, from 0 to 1") {
		t.Errorf("a satisfaction share of 90: %v", err)
	}
}

func TestNextTierGapsSayWhatTheNextLevelNeeds(t *testing.T) {
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	gold := cfg.Tiers.Requirements[schema.TierGold.String()]
	m := tierMeasures{certified: gold.CertifiedStaff, qualifiedPerYear: gold.QualifiedOpportunities, caseStudies: 1,
		csat: 5, satisfied: 0.95, wonRevenuePerYear: gold.WonRevenueUSD + 1}
	got := nextTierGaps(cfg, schema.TierGold, m)
	if want := fmt.Sprintf("gold: case studies 1 (needs %g)", gold.CaseStudies); got != want {
		t.Errorf("gaps to gold: %q, want %q", got, want)
	}
	m.caseStudies = gold.CaseStudies
	if got := nextTierGaps(cfg, schema.TierGold, m); !strings.HasPrefix(got, "gold: every requirement met this quarter") {
		t.Errorf("a partner meeting gold: %q", got)
	}
}
