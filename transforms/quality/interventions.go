package quality

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/partnerq/pqi/transforms/schema"
)

type flagRow struct {
	p                   int32
	trigger             schema.InterventionTrigger
	sev                 schema.SeverityLevel
	out                 schema.FlagOutlook
	evidence, action    string
	stat, thr, falseRte float64
}

// cusumFalseAlarm is the probability that a one-sided CUSUM
// C_t = max(0, C_{t-1} + x_t - k), C_0 = 0, with x_t ~ N(0,1) independent,
// ends above h after n steps: the rule's false-alarm rate for a partner
// exactly at expectation. The density of C is propagated on a grid of step
// 0.005 (an atom at 0 plus cells), so the result is deterministic.
func cusumFalseAlarm(k, h float64, n int) float64 {
	const step = 0.005
	top := h + 12
	cells := int(top/step) + 1
	p := make([]float64, cells) // p[0] is the atom at 0; p[j] the mass near j*step
	p[0] = 1
	next := make([]float64, cells)
	// kern[d] = P(x - k in ((d-0.5)step, (d+0.5)step]), d from -cells to cells
	kern := make([]float64, 2*cells+1)
	for d := -cells; d <= cells; d++ {
		lo := (float64(d)-0.5)*step + k
		hi := (float64(d)+0.5)*step + k
		kern[d+cells] = NormCDF(hi) - NormCDF(lo)
	}
	for t := 0; t < n; t++ {
		clear(next)
		for i, pi := range p {
			if pi < 1e-300 {
				continue
			}
			g := float64(i) * step
			next[0] += pi * NormCDF(k-g+0.5*step) // everything at or below half a cell
			for j := 1; j < cells; j++ {
				next[j] += pi * kern[j-i+cells]
			}
		}
		p, next = next, p
	}
	above := 0.0
	for j := 1; j < cells; j++ {
		if float64(j)*step > h {
			above += p[j]
		}
	}
	return above
}

// cusumLimit is the decision limit h at which the one-sided CUSUM with
// reference k over N(0,1) steps has in-control average run length arl:
// Siegmund's approximation ARL = (exp(2kb) - 2kb - 1) / (2k^2), b = h + 1.166
// (b^2 when k = 0), inverted by bisection. It is within a few per cent of
// the exact run length for h above 1 (checked by simulation in the tests).
func cusumLimit(k, arl float64) float64 {
	runLength := func(h float64) float64 {
		b := h + 1.166
		if k == 0 {
			return b * b
		}
		return (math.Exp(2*k*b) - 2*k*b - 1) / (2 * k * k)
	}
	lo, hi := 0.0, 100.0
	for range 100 {
		if mid := (lo + hi) / 2; runLength(mid) < arl {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// interventions applies the delivery CUSUM and the quality floor, and
// collects the exit warnings and guardrail flags, partners in id order.
func (in *inputs) interventions(cur *windowResult, tr *tierResult, cfg Config, asOf schema.Day) []flagRow {
	iv := cfg.Interventions
	r := rules{cfg: cfg, asOf: int32(asOf), k: iv.K, h: cusumLimit(iv.K, iv.ARL), z: zq(cfg.IntervalLevel),
		dev: in.deviations(cur, iv.Quarters, cfg.History.Quarters, asOf), floor: qualityFloor(cur, iv.LowShare)}
	r.falseRate = make([]float64, iv.Quarters+1)
	for m := range r.falseRate {
		r.falseRate[m] = cusumFalseAlarm(r.k, r.h, m)
	}
	order := make([]int32, len(in.pID))
	for i := range order {
		order[i] = int32(i)
	}
	sortByID(in, order)
	var flags []flagRow
	for _, p := range order {
		flags = append(flags, r.partner(in, cur, tr, p)...)
	}
	return flags
}

// rules are the intervention rules' settings for one as-of quarter.
type rules struct {
	cfg       Config
	asOf      int32
	k, h, z   float64
	falseRate []float64 // CUSUM false-alarm rate by the number of quarters with evidence
	dev       *deviations
	floor     float64 // the PQI of the weakest low_share of scored partners
}

// partner is one partner's flags.
func (r *rules) partner(in *inputs, cur *windowResult, tr *tierResult, p int32) []flagRow {
	pi, L := int(p), r.cfg.Interventions.Quarters
	c, last, m := r.dev.cusum(pi, r.k)
	deliveryUpper := cur.pillarZ[schema.PillarDelivery][pi] + r.z*math.Sqrt(cur.pillarVar[schema.PillarDelivery][pi])
	// tenure unknown (no joined date) is neither "over a year" nor "young"
	known := in.pJoined[pi] != schema.NoDate
	notEver := cur.scored[pi] && known && r.asOf-in.pJoined[pi] >= 365 && deliveryUpper < 0 && last >= 0
	outlook, sev, action := schema.OutlookNotYet, schema.SeverityMedium, "coach: delivery enablement and a check-in next quarter"
	switch {
	case notEver:
		outlook, sev, action = schema.OutlookNotEver, schema.SeverityHigh, "exit review: enough evidence of consistently poor delivery"
	case !cur.scored[pi]:
		sev = schema.SeverityLow
	}
	why := outlookReason(notEver, cur.scored[pi], known && r.asOf-in.pJoined[pi] < 365, last < 0)
	flag := func(t schema.InterventionTrigger, stat, thr, rate float64, evidence, act string) flagRow {
		return flagRow{p: p, trigger: t, sev: sev, out: outlook, action: act, stat: stat, thr: thr, falseRte: rate, evidence: evidence + "; " + why}
	}
	var flags []flagRow
	// a delivery flag needs the evidence to score the partner: with too
	// few closed deals its delivery rows are too few to act on (the
	// guardrail still caps its PQI in partner_quality)
	evidenced := cur.evidence[pi] != schema.EvidenceInsufficient
	if c > r.h && evidenced {
		flags = append(flags, flag(schema.TriggerDeliveryCUSUM, c, r.h, r.falseRate[m], r.dev.words(pi, L, c, r.h, m, schema.Day(r.asOf)), action))
	}
	if cur.scored[pi] && cur.pqiHigh[pi] < r.floor {
		sd := math.Sqrt(cur.sVar[pi])
		// the chance a partner truly at expectation, its estimate
		// scattered by its own standard error, lands this low: an upper
		// bound, since a shrunk estimate scatters less than its error
		rate := NormCDF((normQuantile(r.floor/100) - r.z*sd) / sd)
		flags = append(flags, flag(schema.TriggerPQILow, cur.pqiHigh[pi], r.floor, rate, floorWords(cur, pi, r.floor, r.cfg),
			"coach: a quality plan on the weakest components, reviewed next quarter"))
	}
	if tr.exitWarn[pi] {
		flags = append(flags, flag(schema.TriggerChurnVsDirect, cur.churnRRLow[pi], r.cfg.ExitWarning.ChurnRateRatioLow, (1-r.cfg.IntervalLevel)/2,
			fmt.Sprintf("customers churn at %.1fx the direct rate for the same case mix (exact 90%% interval %.2f-%.2f) on %d contracts",
				cur.churnRR[pi], cur.churnRRLow[pi], cur.churnRRHigh[pi], cur.contracts[pi]), action))
	}
	if cur.guard[pi] && evidenced {
		flags = append(flags, flag(schema.TriggerDeliveryGuardrail, deliveryUpper, r.cfg.Guardrail.DeliveryUpperZ, (1-r.cfg.IntervalLevel)/2, cur.guardReason[pi], action))
	}
	return flags
}

// qualityFloor is the PQI at the share-quantile of scored partners (the
// smallest PQI with at least that share of scored partners at or below
// it); -inf (no floor) without scored partners.
func qualityFloor(cur *windowResult, share float64) float64 {
	var v []float64
	for p, s := range cur.scored {
		if s {
			v = append(v, cur.pqi[p])
		}
	}
	if len(v) == 0 {
		return math.Inf(-1)
	}
	sort.Float64s(v)
	return v[max(0, int(math.Ceil(share*float64(len(v))))-1)]
}

// floorWords is the evidence of a quality-floor flag: the interval, the
// floor, the deals behind the score and the components that pull it down.
func floorWords(cur *windowResult, p int, floor float64, cfg Config) string {
	type part struct {
		c schema.Component
		v float64
	}
	var parts []part
	for c := range schema.Component(schema.NumComponents) {
		if v := cur.weights[c] * cur.z[c][p]; v < 0 {
			parts = append(parts, part{c, v})
		}
	}
	sort.SliceStable(parts, func(a, b int) bool { return parts[a].v < parts[b].v })
	s := fmt.Sprintf("PQI %.1f with its %.0f%% interval %.1f-%.1f wholly below %.1f, the PQI of the weakest %.0f%% of scored partners, on %s",
		cur.pqi[p], 100*cfg.IntervalLevel, cur.pqiLow[p], cur.pqiHigh[p], floor, 100*cfg.Interventions.LowShare, cur.closedWords(p))
	for i, x := range parts[:min(2, len(parts))] {
		sep := "; pulled down most by "
		if i > 0 {
			sep = " and "
		}
		s += fmt.Sprintf("%s%s (%+.2f)", sep, x.c, x.v)
	}
	return s
}

// deviations are each partner's delivery outcomes per quarter against the
// case-mix expectation, at [partner*T + quarter] over the T quarters of the
// history ending with the as-of quarter, quarter 0 the oldest: the first
// T-L are the baseline (the partner's own level), the last L monitored.
type deviations struct {
	T, L           int
	csatSum, csatN []float64 // sum of (score - expected) and responses
	csatSq         []float64 // sum of (score - expected)^2
	churnO, churnE []float64 // churn events observed and expected
	sigma          float64   // within-partner residual SD of CSAT, pooled
	null           countNull // scratch: one step's churn count distribution
}

// quarterSums are one partner's sums over some quarters.
type quarterSums struct{ csatSum, csatN, csatSq, churnO, churnE float64 }

// before sums partner p's quarters before quarter t.
func (d *deviations) before(p, t int) quarterSums {
	var s quarterSums
	for b := p * d.T; b < p*d.T+t; b++ {
		s.csatSum, s.csatN, s.csatSq = s.csatSum+d.csatSum[b], s.csatN+d.csatN[b], s.csatSq+d.csatSq[b]
		s.churnO, s.churnE = s.churnO+d.churnO[b], s.churnE+d.churnE[b]
	}
	return s
}

// csatPrior is the weight, in responses, of the pooled within-partner CSAT
// variance against a partner's own baseline variance.
const csatPrior = 20

// csatVar is partner p's CSAT residual variance: its baseline responses'
// variance around their own mean, shrunk towards the pooled sigma^2 with
// the weight of csatPrior responses. A pooled variance alone under-states
// the spread of partners whose scores sit mid-scale (an ordinal score
// spreads least at its ends), and their quarter means then look like change.
func (d *deviations) csatVar(p int) float64 {
	b := d.before(p, d.T-d.L)
	n, s, sq := b.csatN, b.csatSum, b.csatSq
	ss := 0.0
	if n > 1 {
		ss = math.Max(0, sq-s*s/n)
		n--
	} else {
		n = 0
	}
	return (csatPrior*d.sigma*d.sigma + ss) / (csatPrior + n)
}

// step is the standardised deviation of monitored quarter t from the
// partner's own level in every quarter of the history before it (positive
// = worse): the CSAT residual mean against the earlier quarters', its
// variance widened by theirs; churn as the mid-p normal score of the
// quarter's share of its own and the earlier quarters' churns against its
// share of their expectation (a rate-change test conditional on the total);
// against the case-mix expectation alone when there is nothing before.
// These are recursive residuals: each quarter is compared with all that
// came before it, so under a steady partner the steps are independent (a
// fixed baseline shared by every step would correlate them and the CUSUM
// would alarm more often than its run length says). The two combine as
// their sum over the square root of their number; ok is false when the
// quarter has neither.
func (d *deviations) step(p, t int) (x float64, ok bool) {
	b := d.before(p, t)
	bS, bN, bO, bE := b.csatSum, b.csatN, b.churnO, b.churnE
	i := p*d.T + t
	var sum, v0 float64
	if n := d.csatN[i]; n > 0 && d.sigma > 0 {
		dev, v := d.csatSum[i], n
		if bN > 0 {
			dev, v = dev-n*bS/bN, n+n*n/bN
		}
		sum += -dev / math.Sqrt(d.csatVar(p)*v)
		v0++
	}
	if e := d.churnE[i]; e > 1e-9 {
		o, n, q := d.churnO[i], d.churnO[i]+bO, e/(e+bE)
		// the score of a count, its probability when steady, and the
		// largest count worth summing over
		score := func(o float64) float64 { return binomScore(o, n, q) }
		prob := func(o float64) float64 { return binomPMF(o, n, q) }
		top, beyond := n, 0.0
		if bE <= 1e-9 {
			score = func(o float64) float64 { return poissonScore(o, e) }
			prob = func(o float64) float64 { return poissonPMF(o, e) }
			top = math.Ceil(e + 12*math.Sqrt(e) + 12)
			beyond = regIncGamma(top+1, e)
		}
		var z float64
		mean, v := 0.0, 1.0
		if top <= maxNullCount {
			mean, v = d.null.fill(prob, int(top), beyond)
		}
		if top <= maxNullCount && o <= top {
			z = d.null.z(int(o))
		} else {
			z = score(o)
		}
		sum += z - mean
		v0 += v
	}
	if v0 == 0 {
		return 0, false
	}
	return sum / math.Sqrt(math.Max(1, v0)), true
}

// maxNullCount is the largest count whose null distribution a step sums
// over; beyond it a churn score is taken as N(0, 1), its normal limit.
const maxNullCount = 300

// countNull is the distribution of a churn count under a steady partner,
// over the counts 0..top: each count's probability p and its mid-p tails
// below (P(X < o) + P(X = o)/2) and above (P(X > o) + P(X = o)/2), reused
// from step to step.
type countNull struct{ p, below, above []float64 }

// fill computes the distribution of counts 0..top, beyond = P(X > top), and
// the mean and variance of their scores (z below), each tail summed from
// its own end so that a far tail keeps its precision. It gives the values
// binomScore and poissonScore give, in one pass over the probabilities
// instead of an incomplete beta or gamma function per count, and turns into
// a normal score only the counts with a probability that can move the
// moments (a step was 35 us at 40 counts, seconds over the 40,000-partner
// job).
//
// A count's score is not quite centred and spreads less than a normal one:
// the step subtracts the mean, and with CSAT in the same quarter divides by
// the square root of the summed variances, not of the number of signals,
// which would leave it short of variance 1 and the CUSUM quieter than its
// run length says. A churn score alone is not scaled up: one churn among
// few expected must not become an alarm by itself.
func (c *countNull) fill(prob func(float64) float64, top int, beyond float64) (mean, v float64) {
	grow := func(s []float64) []float64 { return slices.Grow(s[:0], top+1)[:top+1] }
	c.p, c.below, c.above = grow(c.p), grow(c.below), grow(c.above)
	var lower float64 // P(X < o)
	for o := range c.p {
		c.p[o] = prob(float64(o))
		c.below[o] = lower + c.p[o]/2
		lower += c.p[o]
	}
	upper := beyond // P(X > o)
	for o := top; o >= 0; o-- {
		c.above[o] = upper + c.p[o]/2
		upper += c.p[o]
	}
	var sq float64
	for o, pm := range c.p {
		if pm > 1e-17 { // below this a count moves neither moment
			z := c.z(o)
			mean, sq = mean+pm*z, sq+pm*z*z
		}
	}
	return mean, sq - mean*mean
}

// z is count o's mid-p normal score: Phi^-1 of its lower tail, from the
// upper tail when that is the smaller.
func (c *countNull) z(o int) float64 {
	if c.above[o] < 0.5 {
		return -normQuantile(math.Max(c.above[o], 1e-300))
	}
	return normQuantile(c.below[o])
}

// cusum runs C_t = max(0, C_{t-1} + x_t - k) over the monitored quarters
// with evidence and returns C, the last step and the number of steps.
func (d *deviations) cusum(p int, k float64) (c, last float64, m int) {
	for t := d.T - d.L; t < d.T; t++ {
		if x, ok := d.step(p, t); ok {
			c, last = math.Max(0, c+x-k), x
			m++
		}
	}
	return c, last, m
}

// words is the evidence of a CUSUM flag: the rule and the partner's own
// level as its first clause (what the board shows), then the rows behind
// it, quarter by quarter.
func (d *deviations) words(p, L int, c, h float64, m int, asOf schema.Day) string {
	b := d.before(p, d.T-d.L)
	s := fmt.Sprintf("delivery CUSUM %.2f above %.2f over the %d quarters to %s with evidence in %d, each against the partner's own level in the quarters before it"+
		" (the %d quarters before these: CSAT responses %.0f, %+.2f against expected; customers churned %.0f against %.1f expected); by quarter:",
		c, h, L, fmtDate(int32(asOf)), m, d.T-d.L, b.csatN, safeDiv(b.csatSum, b.csatN), b.churnO, b.churnE)
	for t := d.T - d.L; t < d.T; t++ {
		i := p*d.T + t
		q := asOf.Quarter() + int32(t-(d.T-1))
		s += fmt.Sprintf(" %s CSAT responses %.0f, %+.2f against expected, customers churned %.0f against %.1f expected;",
			schema.QuarterLabel(q), d.csatN[i], safeDiv(d.csatSum[i], d.csatN[i]), d.churnO[i], d.churnE[i])
	}
	return strings.TrimSuffix(s, ";")
}

// deviations sums every partner's CSAT and churn against the window's
// case-mix models, one quarter at a time over the T quarters to asOf, the
// last L of them monitored.
func (in *inputs) deviations(cur *windowResult, L, T int, asOf schema.Day) *deviations {
	nP := len(in.pID)
	qs := make([]schema.Window, T)
	for t := 0; t < T; t++ {
		q := asOf.Quarter() + int32(t-(T-1))
		start, end := schema.QuarterFirstDay(q), schema.QuarterFirstDay(q+1)-1
		if t == T-1 {
			end = int32(asOf)
		}
		qs[t] = schema.Window{Start: start, End: end}
	}
	quarterOf := func(d int32) int {
		if d == schema.NoDate || d < qs[0].Start || d > int32(asOf) {
			return -1
		}
		for t := range qs {
			if d <= qs[t].End {
				return t
			}
		}
		return -1
	}
	dev := &deviations{T: T, L: L, csatSum: make([]float64, nP*T), csatN: make([]float64, nP*T), csatSq: make([]float64, nP*T),
		churnO: make([]float64, nP*T), churnE: make([]float64, nP*T), sigma: cur.obs[schema.CompCSAT].sigmaW}
	x := make([]float64, nFeat)
	csat := model{cur.obs[schema.CompCSAT].beta}
	for i, p := range in.sPartner {
		t := quarterOf(in.sResponded[i])
		if t < 0 || csat.beta == nil {
			continue
		}
		in.features(in.sDeal[i], x)
		r := in.sScore[i] - csat.eta(x)
		dev.csatSum[int(p)*T+t] += r
		dev.csatSq[int(p)*T+t] += r * r
		dev.csatN[int(p)*T+t]++
	}
	churn := model{cur.obs[schema.CompChurnRate].beta}
	for i, p := range in.hPartner {
		if p < 0 || churn.beta == nil {
			continue
		}
		in.features(in.hDeal[i], x)
		rate := math.Exp(churn.eta(x))
		for t := range qs {
			yrs, ev := exposure(in.hStart[i], in.hChurn[i], qs[t])
			if yrs == 0 {
				continue
			}
			dev.churnE[int(p)*T+t] += yrs * rate
			dev.churnO[int(p)*T+t] += b2f(ev)
		}
	}
	return dev
}

// binomScore is the normal score of o successes in n trials of probability
// q: Phi^-1 of the mid-p lower tail, P(X < o) + P(X = o)/2; 0 when n is 0
// (no information).
func binomScore(o, n, q float64) float64 {
	if n < 0.5 {
		return 0
	}
	at := binomPMF(o, n, q) // P(X = o)
	upper := at / 2         // P(X > o) + P(X = o)/2
	if o < n {
		upper += regIncBeta(o+1, n-o, q)
	}
	if upper < 0.5 {
		return -normQuantile(math.Max(upper, 1e-300))
	}
	lower := at / 2
	if o > 0 {
		lower += 1 - regIncBeta(o, n-o+1, q)
	}
	return normQuantile(lower)
}

// poissonScore is the normal score of o events where e are expected:
// Phi^-1 of the mid-p lower tail, P(X < o) + P(X = o)/2 for X ~ Poisson(e).
// Near N(0,1) when nothing is wrong, whatever e: the plain (o - e)/sqrt(e)
// makes one churn among 0.1 expected a step of 2.8, nearly an alarm alone.
// Its variance is below 1 when e is small (a count cannot spread finer).
func poissonScore(o, e float64) float64 {
	at := poissonPMF(o, e) // P(X = o)
	// each tail from its own series, so a far tail keeps its precision
	if upper := regIncGamma(o+1, e) + at/2; upper < 0.5 { // P(X > o) + P(X = o)/2
		return -normQuantile(math.Max(upper, 1e-300))
	}
	lower := at / 2 // P(X < o) + P(X = o)/2
	if o > 0 {
		lower += 1 - regIncGamma(o, e)
	}
	return normQuantile(lower)
}

func outlookReason(notEver, scored, young, improving bool) string {
	if notEver {
		return "not ever: scored, over a year in the program, delivery confidently below expected and not improving"
	}
	var r []string
	if !scored {
		r = append(r, "insufficient evidence")
	}
	if young {
		r = append(r, "under a year in the program")
	}
	if improving {
		r = append(r, "improving last quarter")
	}
	if len(r) == 0 {
		r = append(r, "delivery not confidently below expected over the window")
	}
	s := "not yet: "
	for i, v := range r {
		if i > 0 {
			s += ", "
		}
		s += v
	}
	return s
}

func safeDiv(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func fmtDate(d int32) string { return schema.Day(d).String() }
