package quality

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/partnerq/pqi/transforms/schema"
)

// jointPrior is the between-partner correlation of the standardised
// effects of the outcome and behaviour components ("Borrowing strength
// across components" in docs/methodology.md): comps are the components
// that take part, rho their correlation matrix (row-major, len(comps)^2)
// as used, after clipping and any shrinking towards 0 that keeps it
// positive definite.
type jointPrior struct {
	comps []schema.Component
	rho   []float64
}

// maxRho bounds an estimated correlation: two components are never taken
// as one.
const maxRho = 0.9

// jointComponents are the components that borrow: measured, weighted, with
// a between-partner variance above its floor, and not activity (activity is
// never passed off as outcome, in either direction).
func (r *windowResult) jointComponents() []schema.Component {
	var cs []schema.Component
	for c := range schema.Component(schema.NumComponents) {
		if r.weights[c] > 0 && !IsActivity(c) && r.comp[c].tau2 > 2*tau2Floor {
			cs = append(cs, c)
		}
	}
	return cs
}

// correlation estimates the joint prior from every partner's own
// standardised estimates: for components a and b, the precision-weighted
// mean of l_a l_b, where l = z / (1 - v) is the estimate the partner's own
// rows give (its posterior mean without the shrinkage, in units of the
// between-partner SD) and its sampling errors in two components are
// independent, so the product's mean is their covariance; over the
// square root of the two true variances (the mean of l^2 less its
// sampling variance) it is their correlation.
func (r *windowResult) correlation(nP int) jointPrior {
	cs := r.jointComponents()
	k := len(cs)
	rho := make([]float64, k*k)
	for a := 0; a < k; a++ {
		rho[a*k+a] = 1
		for b := a + 1; b < k; b++ {
			za, va, zb, vb := r.z[cs[a]], r.zVar[cs[a]], r.z[cs[b]], r.zVar[cs[b]]
			var ab, aa, bb, den float64
			for p := 0; p < nP; p++ {
				if va[p] >= 1 || vb[p] >= 1 {
					continue // no rows of its own in one of the two
				}
				// l has variance 1 + s, s = v / (1 - v) its sampling
				// variance: 1 / (1 - v)
				w := (1 - va[p]) * (1 - vb[p])
				la, lb := za[p]/(1-va[p]), zb[p]/(1-vb[p])
				ab += w * la * lb
				aa += w * (la*la - va[p]/(1-va[p]))
				bb += w * (lb*lb - vb[p]/(1-vb[p]))
				den += w
			}
			// the covariance over the two true variances (1 each when tau2
			// is right; a tau2 estimated low or high scales both)
			if den > 0 && aa > 0 && bb > 0 {
				rho[a*k+b] = math.Max(-maxRho, math.Min(maxRho, ab/math.Sqrt(aa*bb)))
				rho[b*k+a] = rho[a*k+b]
			}
		}
	}
	// shrink the correlations towards 0 until the matrix is comfortably
	// positive definite (a smallest Cholesky pivot of 0.1)
	for s := 20; s >= 0; s-- {
		m := make([]float64, k*k)
		for i := range m {
			m[i] = rho[i] * float64(s) / 20
		}
		for a := 0; a < k; a++ {
			m[a*k+a] = 1
		}
		if _, ok := invSPD(m, k, 0.1); ok {
			return jointPrior{comps: cs, rho: m}
		}
	}
	panic("unreachable: the identity is positive definite")
}

// borrow computes, for the joint components, their posterior under the
// joint prior: for partner p with own estimates z (variance v, under
// independent N(0, 1) priors), the posterior precision is R^-1 +
// diag(1/v - 1) and the mean P^-1 (z / v); with R = I this is z itself.
// It keeps the joint scores in r.zJoint and r.zJointVar (the other
// components' are their own) and returns, per partner, what reading the
// components together adds to the composite (shift: sum_c w_c (joint_c -
// z_c)) and to its variance (w' P^-1 w less the own variances' sum).
func (r *windowResult) borrow(jp jointPrior, nP int) (shift, varAdd []float64) {
	shift, varAdd = make([]float64, nP), make([]float64, nP)
	for c := range r.z {
		r.zJoint[c], r.zJointVar[c] = r.z[c], r.zVar[c]
	}
	cs, k := jp.comps, len(jp.comps)
	if k < 2 {
		return shift, varAdd
	}
	for _, c := range cs {
		r.zJoint[c], r.zJointVar[c] = make([]float64, nP), make([]float64, nP)
	}
	rInv, ok := invSPD(jp.rho, k, 0)
	if !ok {
		panic("the joint prior is positive definite by construction")
	}
	prec, rhs := make([]float64, k*k), make([]float64, k)
	for p := 0; p < nP; p++ {
		copy(prec, rInv)
		for a, c := range cs {
			v := r.zVar[c][p]
			prec[a*k+a] += 1/v - 1
			rhs[a] = r.z[c][p] / v
		}
		cov, ok := invSPD(prec, k, 0)
		if !ok {
			panic("a posterior precision is positive definite: R^-1 is, and 1/v - 1 >= 0")
		}
		for a, ca := range cs {
			var m float64
			for b, cb := range cs {
				m += cov[a*k+b] * rhs[b]
				varAdd[p] += r.weights[ca] * r.weights[cb] * cov[a*k+b]
			}
			r.zJoint[ca][p], r.zJointVar[ca][p] = m, cov[a*k+a]
			shift[p] += r.weights[ca] * (m - r.z[ca][p])
			varAdd[p] -= r.weights[ca] * r.weights[ca] * r.zVar[ca][p]
		}
	}
	return shift, varAdd
}

// words says the joint prior's strongest correlations, for the score
// job's log.
func (jp jointPrior) words() string {
	k := len(jp.comps)
	if k < 2 {
		return "components scored on their own rows alone: fewer than two outcome or behaviour components vary between partners"
	}
	type pair struct {
		a, b schema.Component
		r    float64
	}
	var ps []pair
	for a := 0; a < k; a++ {
		for b := a + 1; b < k; b++ {
			ps = append(ps, pair{jp.comps[a], jp.comps[b], jp.rho[a*k+b]})
		}
	}
	slices.SortStableFunc(ps, func(x, y pair) int { return cmp.Compare(math.Abs(y.r), math.Abs(x.r)) })
	var b strings.Builder
	b.WriteString("components borrow strength from each other through the between-partner correlations of their effects, strongest ")
	for i, p := range ps[:min(3, len(ps))] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s-%s %.2f", p.a, p.b, p.r)
	}
	return b.String()
}

// scoreOf is component c's standardised scores as the PQI reads them: the
// joint posterior's when the components borrow strength, else their own.
func (r *windowResult) scoreOf(c schema.Component) []float64 {
	if r.zJoint[c] != nil {
		return r.zJoint[c]
	}
	return r.z[c]
}

// invSPD inverts the symmetric positive definite k x k matrix a by
// Cholesky; false when a pivot is at or below minPivot (or not positive).
func invSPD(a []float64, k int, minPivot float64) ([]float64, bool) {
	l := make([]float64, k*k)
	for i := range k {
		for j := 0; j <= i; j++ {
			s := a[i*k+j]
			for m := range j {
				s -= l[i*k+m] * l[j*k+m]
			}
			if i == j {
				if s <= 0 || math.Sqrt(s) <= minPivot {
					return nil, false
				}
				l[i*k+i] = math.Sqrt(s)
			} else {
				l[i*k+j] = s / l[j*k+j]
			}
		}
	}
	inv, col := make([]float64, k*k), make([]float64, k)
	for j := range k {
		clear(col)
		col[j] = 1
		for i := range k { // L y = e_j
			s := col[i]
			for m := range i {
				s -= l[i*k+m] * col[m]
			}
			col[i] = s / l[i*k+i]
		}
		for i := k - 1; i >= 0; i-- { // L' x = y
			s := col[i]
			for m := i + 1; m < k; m++ {
				s -= l[m*k+i] * col[m]
			}
			col[i] = s / l[i*k+i]
		}
		for i := range k {
			inv[i*k+j] = col[i]
		}
	}
	return inv, true
}
