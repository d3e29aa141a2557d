package quality

import (
	"fmt"
	"math"

	"github.com/partnerq/pqi/transforms/schema"
)

// zq is the normal quantile of a two-sided interval of the given level.
func zq(level float64) float64 { return normQuantile(0.5 + level/2) }

// natural turns the partner effects of component c into values on the
// component's own scale: observed, expected, shrunk and its interval
// (without scale, a yes/no component's shrunk value and interval are NaN:
// windowResult.scale).
func (in *inputs) natural(c schema.Component, o *obs, e *est, cfg Config, scale bool) {
	z := zq(cfg.IntervalLevel)
	nP := len(e.n)
	for p := 0; p < nP; p++ {
		first, end := o.off[p], o.off[p+1]
		f := e.spread(p) // the uncertainty in tau2 (tau2.go)
		tau := math.Sqrt(e.tau2) * f
		th, sd := e.theta[p], math.Sqrt(e.thetaVar[p])*f
		wn := e.wN[p] // observed and expected are age-weighted like the estimate
		e.obs[p] = math.NaN()
		switch o.fam {
		case famBinary:
			if end == first {
				b := o.baseline
				e.exp[p], e.shrunk[p] = b, b
				e.low[p], e.high[p] = sigmoid(logit(b)-z*tau), sigmoid(logit(b)+z*tau)
				continue
			}
			e.obs[p], e.exp[p] = e.oSum[p]/wn, e.eSum[p]/wn
			if !scale {
				e.shrunk[p], e.low[p], e.high[p] = math.NaN(), math.NaN(), math.NaN()
				continue
			}
			var sh, lo, hi float64
			for i := first; i < end; i++ {
				w := o.dec(int(i)) * o.weight(int(i))
				sh += w * sigmoid(o.eta(i)+th)
				lo += w * sigmoid(o.eta(i)+th-z*sd)
				hi += w * sigmoid(o.eta(i)+th+z*sd)
			}
			e.shrunk[p], e.low[p], e.high[p] = sh/wn, lo/wn, hi/wn
		case famLinear:
			logScale := c == schema.CompTimeToValue
			tr := func(v float64) float64 {
				if logScale {
					return math.Exp(v)
				}
				return v
			}
			if end == first {
				b := o.baseline
				e.exp[p], e.shrunk[p] = tr(b), tr(b)
				e.low[p], e.high[p] = tr(b-z*tau), tr(b+z*tau)
				continue
			}
			mo, me := e.oSum[p]/wn, e.eSum[p]/wn
			e.obs[p], e.exp[p] = tr(mo), tr(me)
			e.shrunk[p], e.low[p], e.high[p] = tr(me+th), tr(me+th-z*sd), tr(me+th+z*sd)
		case famPoisson:
			a := 1 / e.tau2
			shape, rate := e.oSum[p]+a, e.eSum[p]+a
			// the exact Gamma bounds, their distance from the mean on the log
			// scale widened by f
			m := shape / rate
			qlo := m * math.Pow(gammaQuantile((1-cfg.IntervalLevel)/2, shape, rate)/m, f)
			qhi := m * math.Pow(gammaQuantile((1+cfg.IntervalLevel)/2, shape, rate)/m, f)
			if end == first {
				b := o.baseline
				e.exp[p], e.shrunk[p] = b, b
				e.low[p], e.high[p] = b*qlo, b*qhi
				continue
			}
			e.obs[p], e.exp[p] = e.oSum[p]/wn, e.eSum[p]/wn
			e.shrunk[p], e.low[p], e.high[p] = e.exp[p]*shape/rate, e.exp[p]*qlo, e.exp[p]*qhi
		}
	}
}

func logit(p float64) float64 { return math.Log(p / (1 - p)) }

// composite standardises the components, weighs them into pillars and the
// PQI, applies the delivery guardrail and the minimum-evidence rule.
func (r *windowResult) composite(in *inputs, cfg Config) {
	nP := len(in.pID)
	z := zq(cfg.IntervalLevel)
	for c := range schema.Component(schema.NumComponents) {
		e := r.comp[c]
		r.z[c], r.zVar[c] = make([]float64, nP), make([]float64, nP)
		for p := 0; p < nP; p++ {
			r.z[c][p] = componentSign[c] * e.theta[p] / math.Sqrt(e.tau2)
			r.zVar[c][p] = e.thetaVar[p] / e.tau2
		}
	}
	// the PQI reads the outcome and behaviour components together; each
	// component's own score (r.z) stays on its own rows
	shift, varAdd := make([]float64, nP), make([]float64, nP)
	if cfg.BorrowStrength {
		r.joint = r.correlation(nP)
		shift, varAdd = r.borrow(r.joint, nP)
	}
	r.borrowed = shift
	for k := range schema.Pillar(schema.NumPillars) {
		r.pillarZ[k], r.pillarVar[k] = make([]float64, nP), make([]float64, nP)
	}
	r.compZ, r.sVar = make([]float64, nP), make([]float64, nP)
	r.pqiRaw, r.pqi, r.pqiLow, r.pqiHigh = make([]float64, nP), make([]float64, nP), make([]float64, nP), make([]float64, nP)
	r.guard, r.guardReason = make([]bool, nP), make([]string, nP)
	r.scored, r.evReason, r.evidence = make([]bool, nP), make([]string, nP), make([]schema.EvidenceState, nP)
	pw := &r.pillarW
	for c := range schema.Component(schema.NumComponents) {
		pw[componentPillar[c]] += r.weights[c]
	}
	for p := 0; p < nP; p++ {
		s, v := shift[p], varAdd[p]
		for c := range schema.Component(schema.NumComponents) {
			w := r.weights[c]
			s += w * r.z[c][p]
			v += w * w * r.zVar[c][p]
			if k := componentPillar[c]; pw[k] > 0 {
				r.pillarZ[k][p] += w / pw[k] * r.z[c][p]
				r.pillarVar[k][p] += (w / pw[k]) * (w / pw[k]) * r.zVar[c][p]
			}
		}
		r.compZ[p], r.sVar[p] = s, v
		sd := math.Sqrt(v)
		raw := 100 * NormCDF(s)
		lo, hi := 100*NormCDF(s-z*sd), 100*NormCDF(s+z*sd)
		r.pqiRaw[p] = raw
		pqi := raw
		upper := r.pillarZ[schema.PillarDelivery][p] + z*math.Sqrt(r.pillarVar[schema.PillarDelivery][p])
		if pw[schema.PillarDelivery] > 0 && upper < cfg.Guardrail.DeliveryUpperZ {
			r.guard[p] = true
			pqi, lo, hi = math.Min(pqi, cfg.Guardrail.PQICap), math.Min(lo, cfg.Guardrail.PQICap), math.Min(hi, cfg.Guardrail.PQICap)
			r.guardReason[p] = fmt.Sprintf("delivery pillar score %.2f with 90%% upper bound %.2f below %.2f: PQI capped at %g",
				r.pillarZ[schema.PillarDelivery][p], upper, cfg.Guardrail.DeliveryUpperZ, cfg.Guardrail.PQICap)
		}
		r.pqi[p], r.pqiLow[p], r.pqiHigh[p] = pqi, lo, hi
		r.evidence[p], r.evReason[p] = r.evidenceOf(p, cfg)
		r.scored[p] = r.evidence[p] == schema.EvidenceScored
	}
}

// evidenceOf decides whether partner p is scored (ranked) and says why not:
// too few closed deals to say anything (insufficient_evidence), or enough
// of them but a PQI interval too wide to place the partner against its
// expectation (indistinguishable: its outcomes are within what its case
// mix predicts, to the precision the ecosystem's spread allows).
func (r *windowResult) evidenceOf(p int, cfg Config) (schema.EvidenceState, string) {
	switch width := r.pqiHigh[p] - r.pqiLow[p]; {
	case r.closedW[p] < float64(cfg.Evidence.MinClosedDeals)-1e-9:
		return schema.EvidenceInsufficient, fmt.Sprintf("%s; at least %d are needed", r.closedWords(p), cfg.Evidence.MinClosedDeals)
	case width > cfg.Evidence.MaxPQIIntervalWidth:
		return schema.EvidenceUnresolved, fmt.Sprintf("%s, but the PQI's 90%% interval (%.0f-%.0f) is %.0f points wide, above %g: the data cannot place this partner against its case-mix expectation",
			r.closedWords(p), r.pqiLow[p], r.pqiHigh[p], width, cfg.Evidence.MaxPQIIntervalWidth)
	}
	return schema.EvidenceScored, ""
}

// closedWords says how many closed deals the evidence rule counted.
func (r *windowResult) closedWords(p int) string {
	if r.dk.rate == 0 && r.dk.hist == r.w {
		return fmt.Sprintf("%d closed deals in the window", r.closed[p])
	}
	return fmt.Sprintf("%.1f closed deals weighted by age since %s (%d in the window)", r.closedW[p], fmtDate(r.from), r.closed[p])
}

// pillarScore is a pillar's 0-100 score, NaN when none of its components
// is measured.
func (r *windowResult) pillarScore(k schema.Pillar, p int) float64 {
	if r.pillarW[k] == 0 {
		return math.NaN()
	}
	return 100 * NormCDF(r.pillarZ[k][p])
}

// churnVsDirect is the exit warning's statistic: the partner's churn events
// against what direct customers with the same case mix would show, with the
// exact conditional interval.
func (r *windowResult) churnVsDirect(in *inputs, cfg Config) {
	nP := len(in.pID)
	r.churnRR, r.churnRRLow, r.churnRRHigh = make([]float64, nP), make([]float64, nP), make([]float64, nP)
	o := r.obs[schema.CompChurnRate]
	x := make([]float64, nFeat)
	for p := 0; p < nP; p++ {
		lo, hi := o.off[p], o.off[p+1]
		var obsY, expD float64
		for i := lo; i < hi; i++ {
			in.features(o.deal[i], x)
			obsY += o.yAt(int(i))
			expD += o.m[i] * math.Exp(r.direct.eta(x))
		}
		if hi == lo || r.direct.beta == nil {
			r.churnRR[p], r.churnRRLow[p], r.churnRRHigh[p] = math.NaN(), math.NaN(), math.NaN()
			continue
		}
		r.churnRR[p], r.churnRRLow[p], r.churnRRHigh[p] = rateRatioCI(obsY, expD, r.directObs, r.directExp, 1-cfg.IntervalLevel)
	}
}
