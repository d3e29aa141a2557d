package quality

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestTau2Coverage: when partners truly differ by little or nothing, the
// moment estimate of tau2 often lands on its floor and the plug-in
// interval collapses; integrating tau2 out must restore coverage of each
// partner's true effect, without making the intervals useless when tau2
// is large and well measured.
func TestTau2Coverage(t *testing.T) {
	z := zq(0.9)
	for _, tc := range []struct {
		name       string
		tau2       float64
		minPlugin  float64 // plug-in coverage is at most this (the failure being fixed); -1: not checked
		lo, hi     float64 // widened coverage must fall in [lo, hi]
		maxWidenSD float64 // the widened interval may not exceed the plug-in one by more than this factor on average
	}{
		{"constant truth", 0, -1, 0.85, 1, math.Inf(1)},
		{"near zero", 0.02, 0.8, 0.85, 0.97, math.Inf(1)},
		{"well measured", 0.5, -1, 0.85, 0.95, 1.05},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(7, uint64(tc.tau2*1000)))
			const k, reps = 300, 40
			var hitPlug, hitWide, all int
			var ratio float64
			for range reps {
				e := newEst(k)
				truth := make([]float64, k)
				ok := make([]bool, k)
				for p := range k {
					v := 0.2 + 0.8*r.Float64() // a few to a dozen deals' worth of evidence
					truth[p] = math.Sqrt(tc.tau2) * r.NormFloat64()
					e.raw[p], e.rawVar[p] = truth[p]+math.Sqrt(v)*r.NormFloat64(), v
					e.n[p], ok[p] = 10, true
				}
				e.tau2 = dlTau2(e.raw, e.rawVar, ok)
				for p := range k {
					b := e.tau2 / (e.tau2 + e.rawVar[p])
					e.theta[p], e.thetaVar[p] = b*e.raw[p], b*e.rawVar[p]
				}
				e.tau2Widening()
				for p := range k {
					sd := math.Sqrt(e.thetaVar[p])
					d := math.Abs(truth[p] - e.theta[p])
					if d <= z*sd {
						hitPlug++
					}
					if d <= z*sd*e.spread(p) {
						hitWide++
					}
					ratio += e.spread(p)
					all++
				}
			}
			plug, wide := float64(hitPlug)/float64(all), float64(hitWide)/float64(all)
			ratio /= float64(all)
			t.Logf("coverage: plug-in %.3f, tau2 integrated out %.3f; mean widening %.2f", plug, wide, ratio)
			if tc.minPlugin >= 0 && plug > tc.minPlugin {
				t.Errorf("the plug-in already covers %.3f: the case does not exercise the failure", plug)
			}
			if wide < tc.lo || wide > tc.hi {
				t.Errorf("coverage %.3f with tau2 integrated out, want %.2f-%.2f", wide, tc.lo, tc.hi)
			}
			if ratio > tc.maxWidenSD {
				t.Errorf("intervals widened %.2f times on average where tau2 is well measured", ratio)
			}
		})
	}
}
