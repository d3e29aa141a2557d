package quality

import (
	"math"
	"slices"
)

// The shrinkage plugs in one estimate of the between-partner variance
// tau2. When partners barely differ that estimate sits at or near its
// floor, and a plug-in posterior is then as narrow as tau2: intervals a
// few ten-thousandths wide around the ecosystem value, which cover a
// constant truth only if the case-mix model is exact. The intervals
// instead take the marginal posterior over tau2 (a uniform prior on tau,
// its likelihood from every partner's raw effect), in the normal
// approximation on the link scale, and widen the plug-in interval by what
// the uncertainty in tau2 adds. The point estimate, and the composite,
// stay on the plug-in tau2.

// tauGrid is the number of points of the grid over tau.
const tauGrid = 64

// tauPosterior returns a grid of tau2 values and their posterior weights
// given raw effects r with sampling variances v (partners with v > 0):
// r_p ~ N(0, v_p + tau2), tau uniform on [0, tmax], tmax widened until the
// likelihood at its end is negligible. Nil when fewer than two partners
// have rows.
func tauPosterior(r, v []float64, tau2hat float64) (t2, w []float64) {
	var rs, vs []float64 // the partners with rows
	for p := range v {
		if usable(r[p], v[p]) {
			rs, vs = append(rs, r[p]), append(vs, v[p])
		}
	}
	k := len(vs)
	if k < 2 {
		return nil, nil
	}
	sorted := slices.Sorted(slices.Values(vs))
	// the moment estimate's standard error, roughly: sqrt(2/k) (tau2 + typical v)
	se := math.Sqrt(2/float64(k)) * (tau2hat + sorted[k/2])
	tmax := math.Sqrt(tau2hat + 8*se)
	t2, w = make([]float64, tauGrid), make([]float64, tauGrid)
	for try := 0; try < 8; try++ {
		for g := range tauGrid {
			t := tmax * float64(g) / (tauGrid - 1)
			t2[g] = t * t
			var ll float64
			for p, vp := range vs {
				s := vp + t2[g]
				ll -= 0.5 * (math.Log(s) + rs[p]*rs[p]/s)
			}
			w[g] = ll
		}
		if w[tauGrid-1]-slices.Max(w) < -20 {
			break
		}
		tmax *= 2
	}
	top := slices.Max(w)
	var sum float64
	for g := range w {
		w[g] = math.Exp(w[g] - top)
		sum += w[g]
	}
	for g := range w {
		w[g] /= sum
	}
	return t2, w
}

// tau2Widening sets e.widen: for each partner, the factor by which the
// plug-in interval's half-width on the link scale grows when tau2 is
// integrated out, sqrt((V + dV) / V) with V the plug-in posterior variance
// and dV the marginal minus the plug-in variance of the normal
// approximation (never below 1: the uncertainty in tau2 only widens).
// A partner without rows has the prior: its factor is sqrt(E[tau2] / tau2).
func (e *est) tau2Widening() {
	t2, w := tauPosterior(e.raw, e.rawVar, e.tau2)
	e.widen = make([]float64, len(e.n))
	for p := range e.widen {
		e.widen[p] = 1
		if t2 == nil {
			continue
		}
		r, v := e.raw[p], e.rawVar[p]
		if e.n[p] == 0 || !usable(r, v) {
			var m float64
			for g := range t2 {
				m += w[g] * t2[g]
			}
			e.widen[p] = math.Sqrt(math.Max(1, m/e.tau2))
			continue
		}
		var mean, second float64
		for g := range t2 {
			b := t2[g] / (t2[g] + v)
			mean += w[g] * b * r
			second += w[g] * (b*v + b*b*r*r)
		}
		marg := second - mean*mean
		plug := e.tau2 / (e.tau2 + v) * v
		if base := e.thetaVar[p]; base > 0 && marg > plug {
			e.widen[p] = math.Sqrt((base + marg - plug) / base)
		}
	}
}

// usable: a raw effect with a finite, positive sampling variance.
func usable(r, v float64) bool { return v > 0 && !math.IsInf(v, 0) && !math.IsNaN(r) }

// spread is partner p's widening factor (1 for an estimate without one).
func (e *est) spread(p int) float64 {
	if e.widen == nil {
		return 1
	}
	return e.widen[p]
}
