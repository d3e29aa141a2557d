package quality

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/partnerq/pqi/transforms/schema"
)

// Two groups of a binary covariate: the logistic MLE reproduces each
// group's log-odds exactly. Group 0: 1 win of 4; group 1: 3 of 4.
func TestLogisticByHand(t *testing.T) {
	const p = 2
	var x, y, off, m []float64
	for g := 0; g < 2; g++ {
		for i := 0; i < 4; i++ {
			x = append(x, 1, float64(g))
			won := (g == 0 && i == 0) || (g == 1 && i < 3)
			y = append(y, b2f(won))
			off, m = append(off, 0), append(m, 1)
		}
	}
	mod, err := fitLogistic(x, p, y, off, m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b0, b1 := mod.beta[0], mod.beta[1]; math.Abs(b0+math.Log(3)) > 1e-6 || math.Abs(b1-2*math.Log(3)) > 1e-6 {
		t.Fatalf("beta = (%g, %g), want (-ln 3, 2 ln 3) = (%g, %g)", b0, b1, -math.Log(3), 2*math.Log(3))
	}
	// a partner whose 4 deals are all in group 1 is expected to win 3,
	// so winning 2 is an observed/expected ratio of 2/3
	exp := 4 * sigmoid(mod.beta[0]+mod.beta[1])
	if math.Abs(exp-3) > 1e-6 || math.Abs(2/exp-2.0/3) > 1e-6 {
		t.Fatalf("expected wins %g", exp)
	}
}

// Poisson with exposure: each group's rate is events / exposure.
func TestPoissonByHand(t *testing.T) {
	x := []float64{1, 0, 1, 0, 1, 1}
	y := []float64{1, 2, 3}
	expo := []float64{2, 4, 1.5} // group 0: 3 events over 6 years; group 1: 3 over 1.5
	mod, err := fitPoisson(x, 2, y, expo, []float64{0, 0, 0}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(mod.beta[0]-math.Log(0.5)) > 1e-7 || math.Abs(mod.beta[1]-math.Log(4)) > 1e-7 {
		t.Fatalf("beta = %v, want (ln 0.5, ln 4)", mod.beta)
	}
}

// Ordinary least squares with an offset: y - offset = 1 + 2x exactly.
func TestLinearByHand(t *testing.T) {
	x := []float64{1, 0, 1, 1, 1, 2}
	y := []float64{1.5, 3.5, 5.5}
	off := []float64{0.5, 0.5, 0.5}
	mod, err := fitLinear(x, 2, y, off, ones(len(y)))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(mod.beta[0]-1) > 1e-7 || math.Abs(mod.beta[1]-2) > 1e-7 { // the ridge of 1e-8 moves b by ~1e-9
		t.Fatalf("beta = %v, want (1, 2)", mod.beta)
	}
}

// linearObs builds a normal component: partners A, B, C with two rows each
// and every expected value 5.
func linearObs() *obs {
	o := obsOfRows(famLinear, 3, []int32{0, 0, 1, 1, 2, 2}, []float64{1, 3, 4, 6, 7, 9})
	o.etaT = &etaTable{interceptOnly: true, intercept: 5}
	return o
}

// Shrinkage of a normal component by hand: residual means -3, 0, 3; the
// within-partner variance is 6/3 = 2, so each mean has variance 2/2 = 1;
// DerSimonian-Laird: Q = 9 + 0 + 9 = 18, tau2 = (18 - 2) / (3 - 1) = 8;
// B = 8/9: shrunk effects -8/3, 0, 8/3 with variance 8/9.
func TestLinearShrinkageByHand(t *testing.T) {
	o := linearObs()
	e := newEst(3)
	shrinkLinear(o, e)
	if math.Abs(o.sigmaW-math.Sqrt2) > 1e-12 || math.Abs(e.tau2-8) > 1e-12 {
		t.Fatalf("sigma_w %g (want sqrt 2), tau2 %g (want 8)", o.sigmaW, e.tau2)
	}
	for p, want := range []float64{-8.0 / 3, 0, 8.0 / 3} {
		if math.Abs(e.theta[p]-want) > 1e-12 || math.Abs(e.thetaVar[p]-8.0/9) > 1e-12 {
			t.Errorf("partner %d: theta %g var %g, want %g and 8/9", p, e.theta[p], e.thetaVar[p], want)
		}
	}
}

// Gamma-Poisson shrinkage by hand: partner 0 has 4 events on 2 expected,
// partner 1 none on 2, partner 2 two on 2. Moment estimate: tau2 =
// [(2^2 - 4) + (2^2 - 0) + (0 - 2)] / (4 + 4 + 4) = 2/12 = 1/6, so a = 6 and
// partner 0's multiplier is (4 + 6) / (2 + 6) = 1.25.
func TestPoissonShrinkageByHand(t *testing.T) {
	o := obsOfRows(famPoisson, 3, []int32{0, 1, 2}, []float64{4, 0, 2})
	o.etaT = &etaTable{interceptOnly: true, intercept: math.Log(2)}
	e := newEst(3)
	shrinkPoisson(o, e)
	if math.Abs(e.tau2-1.0/6) > 1e-12 {
		t.Fatalf("tau2 %g, want 1/6", e.tau2)
	}
	for p, want := range []float64{10.0 / 8, 6.0 / 8, 8.0 / 8} {
		if math.Abs(math.Exp(e.theta[p])-want) > 1e-12 {
			t.Errorf("partner %d multiplier %g, want %g", p, math.Exp(e.theta[p]), want)
		}
	}
}

// Binary shrinkage: the posterior mode solves sum(y - sigmoid(eta+theta)) =
// theta / tau2; with a vague prior it is the partner's own log-odds shift.
func TestBinaryShrinkageByHand(t *testing.T) {
	// partner 0: 3 of 4; partner 1: 1 of 4
	o := obsOfRows(famBinary, 2, []int32{0, 0, 0, 0, 1, 1, 1, 1}, []float64{1, 1, 1, 0, 0, 0, 0, 1})
	o.etaT = &etaTable{interceptOnly: true} // expected 1/2 for every deal
	e := newEst(2)
	shrinkBinary(o, e)
	// moment estimate: sigma2 = [4 (1/4)^2 - 1/4] * 2 / 8 = 0, so the floor:
	// four deals each cannot show a real difference and theta is ~0
	if e.tau2 != tau2Floor || math.Abs(e.theta[0]) > 1e-5 {
		t.Fatalf("tau2 %g theta %g: 3 of 4 against 2 expected is noise", e.tau2, e.theta[0])
	}
	// with a vague prior the mode is logit(3/4) - 0 = ln 3
	e.tau2 = 1e12
	e.theta[0] = 0
	th := 0.0
	for it := 0; it < 50; it++ {
		g, h := -th/e.tau2, 1/e.tau2
		for i := o.off[0]; i < o.off[1]; i++ {
			mu := sigmoid(o.eta(i) + th)
			g += o.y[i] - mu
			h += mu * (1 - mu)
		}
		th += g / h
	}
	if math.Abs(th-math.Log(3)) > 1e-9 {
		t.Fatalf("mode %g, want ln 3", th)
	}
}

// The decomposition's contributions add up to the change; by hand: one
// component moves from 0 to 1 with weight 0.5, S from 0 to 0.5, so it
// contributes 100 (Phi(0.5) - Phi(0)) and the other nothing.
func TestDecompositionByHand(t *testing.T) {
	parts, g, b := decomposeChange([]float64{1, 0}, []float64{0, 0}, []float64{0.5, 0.5}, []float64{0.5, 0.5}, 0, 0, 0, 0)
	want := 100 * (NormCDF(0.5) - 0.5)
	if math.Abs(parts[0]-want) > 1e-12 || parts[1] != 0 || g != 0 || b != 0 {
		t.Fatalf("parts %v guard %g borrowed %g, want [%g 0] 0 0", parts, g, b, want)
	}
	// any change, with new weights, borrowing moving and the guardrail
	// switching on
	z1 := []float64{0.3, -1.2, 2.0, 0.1}
	z0 := []float64{-0.4, 0.5, 1.1, 0.1}
	w1 := []float64{0.4, 0.3, 0.2, 0.1}
	w0 := []float64{0.25, 0.25, 0.25, 0.25}
	b1, b0 := -0.3, 0.1
	s1, s0 := b1, b0
	for i := range z1 {
		s1 += w1[i] * z1[i]
		s0 += w0[i] * z0[i]
	}
	g1 := math.Min(100*NormCDF(s1), 35) - 100*NormCDF(s1)
	parts, g, b = decomposeChange(z1, z0, w1, w0, b1, b0, g1, 0)
	change := (100*NormCDF(s1) + g1) - 100*NormCDF(s0)
	if b >= 0 {
		t.Errorf("borrowing fell from %g to %g but its part of the change is %g", b0, b1, b)
	}
	sum := g + b
	for _, v := range parts {
		sum += v
	}
	if math.Abs(sum-change) > 1e-9 {
		t.Fatalf("contributions sum to %.15g, change %.15g", sum, change)
	}
}

func TestIntakeRubric(t *testing.T) {
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.Intake
	all := func(v int) map[string]int {
		m := map[string]int{}
		for _, c := range r.Criteria {
			m[c.Name] = v
		}
		return m
	}
	// the common rubric: weights 3,3,2,2,1,2,1 = 14, maximum 42; all 3s = 42,
	// all 2s = 28, all 1s = 14
	for _, c := range []struct {
		scores map[string]int
		total  int
		band   schema.IntakeBand
	}{
		{all(3), 42, schema.BandTier1}, {all(2), 28, schema.BandStandard}, {all(1), 14, schema.BandDecline}, {all(0), 0, schema.BandDecline},
	} {
		res, err := r.Score(c.scores)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != c.total || res.Band != c.band || res.Max != 42 {
			t.Errorf("total %d band %s max %d, want %d %s 42", res.Total, res.Band, res.Max, c.total, c.band)
		}
	}
	// the band edges: 36 tier 1, 35 and 27 standard, 26 and 18 probationary, 17 decline
	m := all(3)
	m["market_alignment"], m["portfolio_fit"] = 1, 3 // 42 - 6 = 36
	for _, c := range []struct {
		change func()
		total  int
		band   schema.IntakeBand
	}{
		{func() {}, 36, schema.BandTier1},
		{func() { m["portfolio_fit"] = 2 }, 35, schema.BandStandard},
		{func() { m["technical_capability"] = 1 }, 29, schema.BandStandard},
		{func() { m["lead_quality"] = 2 }, 27, schema.BandStandard},
		{func() { m["geographic_vertical_reach"] = 2 }, 26, schema.BandProbationary},
		{func() { m["positioning_discipline"], m["customer_success_focus"] = 1, 1 }, 18, schema.BandProbationary},
		{func() { m["portfolio_fit"] = 1 }, 17, schema.BandDecline},
	} {
		c.change()
		if res, _ := r.Score(m); res.Total != c.total || res.Band != c.band {
			t.Errorf("%v gave %d %s, want %d %s", m, res.Total, res.Band, c.total, c.band)
		}
	}
	m["portfolio_fit"] = 4
	if _, err := r.Score(m); err == nil {
		t.Error("a score of 4 was accepted")
	}
	delete(m, "portfolio_fit")
	res, err := r.Score(m)
	if err != nil || res.Band != schema.BandIncomplete || len(res.Missing) != 1 || res.Missing[0] != "portfolio_fit" {
		t.Errorf("a missing criterion gave %+v, %v; want incomplete, missing portfolio_fit", res, err)
	}
	m["charisma"] = 3
	if _, err := r.Score(m); err == nil {
		t.Error("a criterion the rubric does not have was accepted")
	}
}

func TestIntakeBandsBeyondMaximum(t *testing.T) {
	b := DefaultConfigYAML()
	bad := strings.Replace(string(b), "bands: {tier1: 36, standard: 27, probationary: 18}", "bands: {tier1: 48, standard: 36, probationary: 24}", 1)
	if bad == string(b) {
		t.Fatal("the default intake bands are not where the test expects them")
	}
	_, err := ParseConfig([]byte(bad))
	if err == nil || !strings.Contains(err.Error(), "band tier1 starts at 48 points but the rubric's maximum is 42") {
		t.Fatalf("bands above the rubric's maximum: %v", err)
	}
}

func TestConfigRejectsActivityOverOutcomes(t *testing.T) {
	b := DefaultConfigYAML()
	cfg, err := ParseConfig(b)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Weights = []WeightSet{{EffectiveFrom: "2020-01-01", Components: map[string]float64{
		"win_rate": 0.5, "csat": 0.2, "certification_rate": 0.3,
	}}}
	if err := cfg.Validate(); err == nil {
		t.Fatal("30% weight on certifications was accepted")
	}
	// effective dating: a later set applies from its date only
	cfg, _ = ParseConfig(b)
	later := WeightSet{EffectiveFrom: "2026-07-01", Components: map[string]float64{}}
	for k, v := range cfg.Weights[0].Components {
		later.Components[k] = v
	}
	later.Components["win_rate"], later.Components["csat"] = 0.12, 0.20
	cfg.Weights = append(cfg.Weights, later)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	w, from, _ := cfg.weightsAt(schema.Day(day(t, "2026-06-30")))
	if w[schema.CompWinRate] != 0.20 || fmtDate(int32(from)) != "2020-01-01" {
		t.Errorf("2026-06-30 used %g from %s", w[schema.CompWinRate], fmtDate(int32(from)))
	}
	w, from, _ = cfg.weightsAt(schema.Day(day(t, "2026-09-30")))
	if w[schema.CompWinRate] != 0.12 || fmtDate(int32(from)) != "2026-07-01" {
		t.Errorf("2026-09-30 used %g from %s", w[schema.CompWinRate], fmtDate(int32(from)))
	}
	if cfg.Digest() == mustDefault(t).Digest() {
		t.Error("changing the weights did not change the digest")
	}
}

func mustDefault(t *testing.T) Config {
	c, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The case-mix table gives every deal the same x beta as its feature row,
// across every combination of known and unknown segment, product count,
// maturity, scope and amount.
func TestCaseMixTableMatchesFeatures(t *testing.T) {
	in := &inputs{}
	// each enum's values and NullEnum (unknown)
	for _, seg := range []schema.CustomerSegment{schema.NullEnum, schema.SegEnterprise, schema.SegMidMarket, schema.SegSMB} {
		for _, pc := range []int16{0, 1, 2, 7, 10, 40} {
			for _, mat := range []schema.Maturity{schema.NullEnum, schema.MaturityNew, schema.MaturityDeveloping, schema.MaturityMature} {
				for _, scope := range []schema.Scope{schema.NullEnum, schema.ScopeAdvisory, schema.ScopeImplementation, schema.ScopeTransformation} {
					for _, la := range []float64{math.NaN(), 3, 11.5} {
						c := mixCodeOf(seg, pc, mat, scope)
						in.dMix, in.dLogAmt = append(in.dMix, c), append(in.dLogAmt, la)
						checkMixFeatures(t, int(c), seg, pc, mat, scope)
					}
				}
			}
		}
	}
	mod := model{beta: []float64{-0.3, 0.2, 0.45, -0.07, 0.3, -0.6, 0.11, -0.9, 0.25, -0.4, 0.8}}
	o := &obs{deal: []int32{-1}}
	for d := range in.dMix {
		o.deal = append(o.deal, int32(d))
	}
	x := make([]float64, nFeat)
	in.etas(o, mod, x)
	for i, d := range o.deal {
		in.features(d, x)
		if want := mod.eta(x); math.Abs(o.eta(int32(i))-want) > 1e-12 {
			t.Fatalf("deal %d: table eta %v, features eta %v", d, o.eta(int32(i)), want)
		}
	}
}

// checkMixFeatures checks the features of case-mix code c against the
// deal's own segment, product count, maturity and scope.
func checkMixFeatures(t *testing.T, c int, seg schema.CustomerSegment, pc int16, mat schema.Maturity, scope schema.Scope) {
	t.Helper()
	x := make([]float64, nFeat)
	mixFeatures(c, x)
	prod := 0.0
	if pc >= 1 {
		prod = float64(min(pc-1, 9))
	}
	unknown := seg == schema.NullEnum || pc < 1 || mat == schema.NullEnum || scope == schema.NullEnum
	want := map[int]float64{fIntercept: 1, fMidMarket: b2f(seg == schema.SegMidMarket), fEnterprise: b2f(seg == schema.SegEnterprise),
		fProducts: prod, fDeveloping: b2f(mat == schema.MaturityDeveloping), fNew: b2f(mat == schema.MaturityNew),
		fImplementation: b2f(scope == schema.ScopeImplementation), fTransformation: b2f(scope == schema.ScopeTransformation),
		fCaseMixUnknown: b2f(unknown)}
	for f, w := range want {
		if x[f] != w {
			t.Fatalf("segment %v, products %d, maturity %v, scope %v: feature %d is %v, want %v", seg, pc, mat, scope, f, x[f], w)
		}
	}
}

// History: a date before every weight set is scored with the earliest set,
// unless the configuration says to refuse it, and then the error names the
// option. A file gives only what it changes.
func TestWeightsBeforeTheEarliestSet(t *testing.T) {
	cfg := mustDefault(t)
	w, from, err := cfg.weightsAt(schema.Day(day(t, "2017-12-31")))
	if err != nil || w[schema.CompWinRate] != 0.20 || fmtDate(int32(from)) != "2020-01-01" {
		t.Fatalf("2017-12-31: weights %v from %s, %v; want the earliest set", w, fmtDate(int32(from)), err)
	}
	strict, err := ParseConfig([]byte("weights_before_earliest: error\n"))
	if err != nil {
		t.Fatal(err)
	}
	if strict.WindowQuarters != cfg.WindowQuarters || len(strict.Weights) != len(cfg.Weights) {
		t.Fatal("a one-key file did not keep the other defaults")
	}
	_, _, err = strict.weightsAt(schema.Day(day(t, "2017-12-31")))
	if err == nil || !strings.Contains(err.Error(), "weights_before_earliest") {
		t.Fatalf("refusing 2017-12-31: %v, want an error naming weights_before_earliest", err)
	}
	if _, err := ParseConfig([]byte("weights_before_earliest: sometimes\n")); err == nil {
		t.Error("an unknown weights_before_earliest was accepted")
	}
}

// Re-weighting over the measured components keeps each kind's relative
// weights and the guardrails: with CSAT, churn and time to value missing,
// lagging stays at its minimum and activity under its cap; with only
// activity measured the PQI is partial.
func TestEffectiveWeightsKeepTheGuardrails(t *testing.T) {
	cfg := mustDefault(t)
	conf, _, _ := cfg.weightsAt(schema.Day(day(t, "2026-09-30")))
	var measured [schema.NumComponents]bool
	for c := range measured {
		measured[c] = true
	}
	same, partial, _ := effectiveWeights(conf, measured, cfg)
	for c := range conf {
		if same[c] != conf[c] || partial {
			t.Fatalf("all measured: weights %v, want the configured %v", same, conf)
		}
	}
	measured[schema.CompCSAT], measured[schema.CompChurnRate], measured[schema.CompTimeToValue] = false, false, false
	w, partial, _ := effectiveWeights(conf, measured, cfg)
	var kinds [3]float64
	var sum float64
	for c, v := range w {
		kinds[componentKinds[c]] += v
		sum += v
	}
	if partial || math.Abs(sum-1) > 1e-12 || kinds[kindLagging] < cfg.LaggingWeightMin-1e-12 || kinds[kindActivity] > cfg.ActivityWeightCap+1e-12 {
		t.Fatalf("without delivery: weights %v (kinds %v), partial %v", w, kinds, partial)
	}
	if r := w[schema.CompWinRate] / w[schema.CompAttachRate]; math.Abs(r-conf[schema.CompWinRate]/conf[schema.CompAttachRate]) > 1e-12 {
		t.Errorf("win rate / attach rate = %g, configured %g", r, conf[schema.CompWinRate]/conf[schema.CompAttachRate])
	}
	for c := range measured {
		measured[c] = componentKinds[c] == kindActivity
	}
	if _, partial, why := effectiveWeights(conf, measured, cfg); !partial || !strings.Contains(why, "activity") {
		t.Errorf("only activity measured: partial %v (%s)", partial, why)
	}
}

// collect groups rows by partner keeping row order within each, samples
// every step-th row in row order (the fit sees the rows in the order they
// came, whatever the grouping), and sums the baseline over every row.
func TestCollectGroupsAndSamplesInRowOrder(t *testing.T) {
	partner := []int32{2, 0, 2, 1, 0, 2, 1}
	y := []float64{10, 11, 12, 13, 14, 15, 16}
	w := []float64{1, 0.5, 1, 1, 0.25, 1, 1}
	o := &obs{fam: famLinear}
	counts := []int32{2, 2, 3}
	o.collect(counts, 3, func(add func(p, d int32, y, m, w float64, day int32)) {
		for i, p := range partner {
			add(p, int32(i), y[i], 1, w[i], schema.NoDate)
		}
	})
	if want := []int32{0, 2, 4, 7}; !slices.Equal(o.off, want) {
		t.Fatalf("off %v, want %v", o.off, want)
	}
	// partner 0: rows 1, 4; partner 1: rows 3, 6; partner 2: rows 0, 2, 5
	if want := []int32{1, 4, 3, 6, 0, 2, 5}; !slices.Equal(o.deal, want) {
		t.Fatalf("rows by partner %v, want %v", o.deal, want)
	}
	for i, d := range o.deal {
		if o.yAt(i) != y[d] || o.dec(i) != w[d] {
			t.Errorf("row %d (input %d): y %g w %g, want %g %g", i, d, o.yAt(i), o.dec(i), y[d], w[d])
		}
	}
	// 7 rows, at most 3: every third in row order, inputs 0, 3, 6
	var picked []int32
	for _, i := range o.sample {
		picked = append(picked, o.deal[i])
	}
	if want := []int32{0, 3, 6}; !slices.Equal(picked, want) || !slices.Equal(o.smpPartner, []int32{2, 1, 1}) {
		t.Errorf("sample inputs %v partners %v, want %v and [2 1 1]", picked, o.smpPartner, want)
	}
	var sy, sw float64
	for i := range y {
		sy += w[i] * y[i]
		sw += w[i]
	}
	if o.baseline != sy/sw {
		t.Errorf("baseline %g, want %g", o.baseline, sy/sw)
	}
}
