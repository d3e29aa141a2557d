package quality

import (
	"fmt"
	"math"

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
		kern[d+cells] = normCDF(hi) - normCDF(lo)
	}
	for t := 0; t < n; t++ {
		clear(next)
		for i, pi := range p {
			if pi < 1e-300 {
				continue
			}
			g := float64(i) * step
			next[0] += pi * normCDF(k-g+0.5*step) // everything at or below half a cell
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

// interventions applies the CUSUM rule to quarterly delivery deviations and
// collects the exit warnings and guardrail flags.
func (in *inputs) interventions(cur *windowResult, tr *tierResult, cfg Config, asOf int32) []flagRow {
	nP := len(in.pID)
	L := cfg.Interventions.Quarters
	k, h := cfg.Interventions.K, cfg.Interventions.H
	falseRate := cusumFalseAlarm(k, h, L)
	z := zq(cfg.IntervalLevel)
	dev := in.deviations(cur, L, asOf)
	var flags []flagRow
	order := make([]int32, nP)
	for i := range order {
		order[i] = int32(i)
	}
	sortByID(in, order)
	for _, p := range order {
		pi := int(p)
		c, last := 0.0, 0.0
		for t := 0; t < L; t++ {
			xt := dev.x(pi*L + t)
			c = math.Max(0, c+xt-k)
			last = xt
		}
		deliveryUpper := cur.pillarZ[schema.PillarDelivery][pi] + z*math.Sqrt(cur.pillarVar[schema.PillarDelivery][pi])
		// tenure unknown (no joined date) is neither "over a year" nor "young"
		known := in.pJoined[pi] != schema.NoDate
		notEver := cur.scored[pi] && known && asOf-in.pJoined[pi] >= 365 && deliveryUpper < 0 && last >= 0
		outlook, sev, action := schema.OutlookNotYet, schema.SeverityMedium, "coach: delivery enablement and a check-in next quarter"
		switch {
		case notEver:
			outlook, sev, action = schema.OutlookNotEver, schema.SeverityHigh, "exit review: enough evidence of consistently poor delivery"
		case !cur.scored[pi]:
			sev = schema.SeverityLow
		}
		why := outlookReason(notEver, cur.scored[pi], known && asOf-in.pJoined[pi] < 365, last < 0)
		t := pi*L + L - 1
		// a delivery flag needs the evidence to score the partner: with
		// too few closed deals its delivery rows are too few to act on
		// (the guardrail still caps its PQI in partner_quality)
		evidenced := cur.evidence[pi] != schema.EvidenceInsufficient
		if c > h && evidenced {
			flags = append(flags, flagRow{p: p, trigger: schema.TriggerDeliveryCUSUM, sev: sev, out: outlook, action: action, stat: c, thr: h, falseRte: falseRate,
				evidence: fmt.Sprintf("delivery CUSUM %.2f above %.2f over %d quarters to %s; last quarter %.0f CSAT responses averaging %+.2f against expected, %.0f churn events against %.1f expected; %s",
					c, h, L, fmtDate(asOf), dev.csatN[t], safeDiv(dev.csatSum[t], dev.csatN[t]), dev.churnO[t], dev.churnE[t], why)})
		}
		if tr.exitWarn[pi] {
			flags = append(flags, flagRow{p: p, trigger: schema.TriggerChurnVsDirect, sev: sev, out: outlook, action: action, stat: cur.churnRRLow[pi], thr: cfg.ExitWarning.ChurnRateRatioLow, falseRte: (1 - cfg.IntervalLevel) / 2,
				evidence: fmt.Sprintf("customers churn at %.1fx the direct rate for the same case mix (exact 90%% interval %.2f-%.2f) on %d contracts; %s",
					cur.churnRR[pi], cur.churnRRLow[pi], cur.churnRRHigh[pi], cur.contracts[pi], why)})
		}
		if cur.guard[pi] && evidenced {
			flags = append(flags, flagRow{p: p, trigger: schema.TriggerDeliveryGuardrail, sev: sev, out: outlook, action: action, stat: deliveryUpper, thr: cfg.Guardrail.DeliveryUpperZ, falseRte: (1 - cfg.IntervalLevel) / 2,
				evidence: cur.guardReason[pi] + "; " + why})
		}
	}
	return flags
}

// deviations are each partner's delivery outcomes per quarter against the
// case-mix expectation, at [partner*L + quarter], quarter 0 the oldest of
// the L quarters ending with the as-of quarter.
type deviations struct {
	csatSum, csatN []float64 // sum of (score - expected) and responses
	churnO, churnE []float64 // churn events observed and expected
	sigma          float64   // within-partner residual SD of CSAT
}

// x is the standardised delivery deviation of cell i (positive = worse
// than expected): CSAT and churn z-scores, combined as their sum over the
// square root of their number; 0 without evidence.
func (d *deviations) x(i int) float64 {
	var sum float64
	var m int
	if n := d.csatN[i]; n > 0 && d.sigma > 0 {
		sum += -d.csatSum[i] / (d.sigma * math.Sqrt(n))
		m++
	}
	if e := d.churnE[i]; e > 1e-9 {
		sum += poissonScore(d.churnO[i], e)
		m++
	}
	if m == 0 {
		return 0
	}
	return sum / math.Sqrt(float64(m))
}

// deviations sums every partner's CSAT and churn against the window's
// case-mix models, one quarter at a time over the L quarters to asOf.
func (in *inputs) deviations(cur *windowResult, L int, asOf int32) *deviations {
	nP := len(in.pID)
	qs := make([]schema.Window, L)
	for t := 0; t < L; t++ {
		q := schema.QuarterOf(asOf) + int32(t-(L-1))
		start, end := schema.QuarterFirstDay(q), schema.QuarterFirstDay(q+1)-1
		if t == L-1 {
			end = asOf
		}
		qs[t] = schema.Window{Start: start, End: end}
	}
	quarterOf := func(d int32) int {
		if d == schema.NoDate || d < qs[0].Start || d > asOf {
			return -1
		}
		for t := range qs {
			if d <= qs[t].End {
				return t
			}
		}
		return -1
	}
	dev := &deviations{csatSum: make([]float64, nP*L), csatN: make([]float64, nP*L),
		churnO: make([]float64, nP*L), churnE: make([]float64, nP*L), sigma: cur.obs[schema.CompCSAT].sigmaW}
	x := make([]float64, nFeat)
	csat := model{cur.obs[schema.CompCSAT].beta}
	for i, p := range in.sPartner {
		t := quarterOf(in.sResponded[i])
		if t < 0 || csat.beta == nil {
			continue
		}
		in.features(in.sDeal[i], x)
		dev.csatSum[int(p)*L+t] += in.sScore[i] - csat.eta(x)
		dev.csatN[int(p)*L+t]++
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
			dev.churnE[int(p)*L+t] += yrs * rate
			dev.churnO[int(p)*L+t] += b2f(ev)
		}
	}
	return dev
}

// poissonScore is the normal score of o events where e are expected:
// Phi^-1 of the mid-p lower tail, P(X < o) + P(X = o)/2 for X ~ Poisson(e).
// Near N(0,1) when nothing is wrong, whatever e: the plain (o - e)/sqrt(e)
// makes one churn among 0.1 expected a step of 2.8, nearly an alarm alone.
// Its variance is below 1 when e is small (a count cannot spread finer).
func poissonScore(o, e float64) float64 {
	lg, _ := math.Lgamma(o + 1)
	at := math.Exp(o*math.Log(e) - e - lg) // P(X = o)
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

func fmtDate(d int32) string { return schema.FormatDate(d) }
