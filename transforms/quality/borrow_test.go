package quality

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/partnerq/pqi/transforms/schema"
)

// jointWindow simulates nP partners whose true standardised effects in
// win rate, CSAT and registration discipline are N(0, R) with correlation
// rho between each pair, and certification (activity) perfectly tied to
// win rate; each partner's own estimate of each has a sampling variance
// between 0.05 and 20 prior variances (thin partners are most of them).
// It returns the window as composite sees it (own-evidence z and zVar)
// and the truth.
func jointWindow(nP int, rho float64, seed uint64) (*windowResult, [schema.NumComponents][]float64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	joint := []schema.Component{schema.CompWinRate, schema.CompCSAT, schema.CompRegistration}
	r := &windowResult{weights: make([]float64, schema.NumComponents)}
	var truth [schema.NumComponents][]float64
	for c := range schema.Component(schema.NumComponents) {
		r.comp[c] = &est{tau2: tau2Floor}
		r.z[c], r.zVar[c], truth[c] = make([]float64, nP), make([]float64, nP), make([]float64, nP)
		for p := range nP {
			r.zVar[c][p] = 1 // no rows: the prior
		}
	}
	for _, c := range append(joint, schema.CompCertification) {
		r.weights[c], r.comp[c].tau2 = 0.25, 0.3
	}
	for p := range nP {
		common := rng.NormFloat64()
		for _, c := range joint {
			// equicorrelated: sqrt(rho) common + sqrt(1-rho) own
			truth[c][p] = math.Sqrt(rho)*common + math.Sqrt(1-rho)*rng.NormFloat64()
		}
		truth[schema.CompCertification][p] = truth[schema.CompWinRate][p]
		for _, c := range append(joint, schema.CompCertification) {
			s2 := 0.05 * math.Pow(400, rng.Float64()) // 0.05 .. 20
			y := truth[c][p] + math.Sqrt(s2)*rng.NormFloat64()
			b := 1 / (1 + s2) // the independent N(0, 1) prior's shrinkage
			r.z[c][p], r.zVar[c][p] = b*y, b*s2
		}
	}
	return r, truth
}

func mse(est, truth []float64) float64 {
	var s float64
	for i := range est {
		s += (est[i] - truth[i]) * (est[i] - truth[i])
	}
	return s / float64(len(est))
}

func TestBorrowEstimatesTheCorrelation(t *testing.T) {
	for _, rho := range []float64{0, 0.3, 0.6} {
		r, _ := jointWindow(20000, rho, 3)
		jp := r.correlation(20000)
		if len(jp.comps) != 3 {
			t.Fatalf("joint components %v, want win rate, CSAT and registration (certification is activity)", jp.comps)
		}
		for a := range 3 {
			for b := a + 1; b < 3; b++ {
				if got := jp.rho[a*3+b]; math.Abs(got-rho) > 0.05 {
					t.Errorf("rho %g: estimated %s-%s %.3f", rho, jp.comps[a], jp.comps[b], got)
				}
			}
		}
	}
}

// With correlated effects, borrowing is closer to the truth than each
// component's own posterior, its intervals still cover 90%, and the
// composite's interval covers the true composite; with independent effects
// it changes nothing that matters. Own scores are left as they are, and
// activity is never borrowed into or from.
func TestBorrowIsCloserToTheTruthAndStillCovers(t *testing.T) {
	const nP = 20000
	z90 := zq(0.9)
	for _, rho := range []float64{0, 0.6} {
		r, truth := jointWindow(nP, rho, 5)
		var own, ownVar [schema.NumComponents][]float64
		for c := range own {
			own[c], ownVar[c] = append([]float64(nil), r.z[c]...), append([]float64(nil), r.zVar[c]...)
		}
		jp := r.correlation(nP)
		shift, varAdd := r.borrow(jp, nP)
		for c := range own {
			for p := range nP {
				if r.z[c][p] != own[c][p] || r.zVar[c][p] != ownVar[c][p] {
					t.Fatalf("%s's own score of partner %d moved: %g -> %g", schema.Component(c), p, own[c][p], r.z[c][p])
				}
			}
		}
		for _, c := range jp.comps {
			before, after := mse(own[c], truth[c]), mse(r.zJoint[c], truth[c])
			if rho > 0 && after > 0.9*before {
				t.Errorf("rho %g, %s: mean squared error %.3f borrowing, %.3f alone: want at least a tenth less", rho, c, after, before)
			}
			if rho == 0 && after > 1.01*before {
				t.Errorf("rho 0, %s: mean squared error %.3f borrowing, %.3f alone", c, after, before)
			}
			in := 0
			for p := range nP {
				if math.Abs(r.zJoint[c][p]-truth[c][p]) <= z90*math.Sqrt(r.zJointVar[c][p]) {
					in++
				}
			}
			if cov := float64(in) / nP; cov < 0.88 || cov > 0.92 {
				t.Errorf("rho %g, %s: 90%% intervals cover %.3f", rho, c, cov)
			}
		}
		if c := schema.CompCertification; &r.scoreOf(c)[0] != &r.z[c][0] {
			t.Fatalf("certification (activity) is read from the joint posterior")
		}
		// the composite as the PQI reads it: own scores plus the shift,
		// own variances plus what the joint posterior adds
		in := 0
		for p := range nP {
			s, v := shift[p], varAdd[p]
			var tr float64
			for _, c := range jp.comps {
				s += r.weights[c] * r.z[c][p]
				v += r.weights[c] * r.weights[c] * r.zVar[c][p]
				tr += r.weights[c] * truth[c][p]
			}
			if math.Abs(s-tr) <= z90*math.Sqrt(v) {
				in++
			}
		}
		if cov := float64(in) / nP; cov < 0.88 || cov > 0.92 {
			t.Errorf("rho %g: the composite's 90%% intervals cover %.3f", rho, cov)
		}
	}
}

func TestBorrowWithTheIdentityIsOwnEvidence(t *testing.T) {
	r, _ := jointWindow(500, 0.5, 9)
	jp := jointPrior{comps: r.jointComponents(), rho: []float64{1, 0, 0, 0, 1, 0, 0, 0, 1}}
	shift, varAdd := r.borrow(jp, 500)
	for _, c := range jp.comps {
		for p := range 500 {
			if math.Abs(r.zJoint[c][p]-r.z[c][p]) > 1e-12 || math.Abs(r.zJointVar[c][p]-r.zVar[c][p]) > 1e-12 || math.Abs(shift[p]) > 1e-12 || math.Abs(varAdd[p]) > 1e-12 {
				t.Fatalf("%s, partner %d: own %g (%g), joint %g (%g), shift %g, variance added %g", c, p, r.z[c][p], r.zVar[c][p], r.zJoint[c][p], r.zJointVar[c][p], shift[p], varAdd[p])
			}
		}
	}
}
