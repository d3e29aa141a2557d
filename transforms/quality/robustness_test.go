package quality

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/partnerq/pqi/transforms/schema"
)

// robustCase scores n partners whose component scores are z[p][c] under the
// default weights, ranks them and runs the Monte Carlo.
func robustCase(t *testing.T, z [][schema.NumComponents]float64, guard map[int]bool) (*scored, *robust) {
	t.Helper()
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	n := len(z)
	in := &inputs{pType: make([]schema.PartnerKind, n)}
	cur := &windowResult{scored: make([]bool, n), pqi: make([]float64, n), guard: make([]bool, n), weights: make([]float64, schema.NumComponents)}
	for c, name := range schema.Components {
		cur.weights[c] = cfg.Weights[0].Components[name]
	}
	for c := range cur.z {
		cur.z[c] = make([]float64, n)
	}
	for p := range z {
		in.pID = append(in.pID, fmt.Sprintf("P%03d", p))
		var s float64
		for c := range schema.Component(schema.NumComponents) {
			cur.z[c][p] = z[p][c]
			s += cur.weights[c] * z[p][c]
		}
		cur.scored[p], cur.pqi[p], cur.guard[p] = true, 100*NormCDF(s), guard[p]
		if guard[p] {
			cur.pqi[p] = math.Min(cur.pqi[p], cfg.Guardrail.PQICap)
		}
	}
	s := &scored{in: in, cur: cur}
	s.rankPartners()
	return s, s.rankRobustness(cfg)
}

// Partners ordered the same way on every component keep their ranks under
// any weights and either normalisation; a partner strong on one component
// and weak on the rest moves with the weights; a capped partner stays
// below the cap; the result does not depend on how many cores ran it.
func TestRankRobustness(t *testing.T) {
	const n = 60
	z := make([][schema.NumComponents]float64, n)
	for p := range z {
		for c := range z[p] {
			z[p][c] = 2 - 4*float64(p)/n // partner 0 best on everything
		}
	}
	s, r := robustCase(t, z, nil)
	for p := range n {
		if s.rank[p] != int64(p+1) || r.low[p] != int64(p+1) || r.high[p] != int64(p+1) || r.median[p] != float64(p+1) || r.stay[p] != 1 {
			t.Fatalf("partner %d, rank %d: median %g, interval %d-%d, stay %g; want its rank every draw", p, s.rank[p], r.median[p], r.low[p], r.high[p], r.stay[p])
		}
	}

	// P030: the best win rate by far, the worst of everything else.
	for c := range z[30] {
		z[30][c] = -2
	}
	z[30][schema.CompWinRate] = 8
	s, r = robustCase(t, z, map[int]bool{0: true})
	if w := r.high[30] - r.low[30]; w < 5 || s.rank[30] < r.low[30] || s.rank[30] > r.high[30] || r.stay[30] > 0.95 {
		t.Errorf("the one-component partner: rank %d, interval %d-%d, stay %g; want a wide interval around its rank", s.rank[30], r.low[30], r.high[30], r.stay[30])
	}
	if cap := s.rank[0]; r.low[0] < cap-2 {
		t.Errorf("the capped partner: rank %d but %d in some draw", cap, r.low[0])
	}

	prev := runtime.GOMAXPROCS(1)
	_, one := robustCase(t, z, map[int]bool{0: true})
	runtime.GOMAXPROCS(prev)
	for p := range n {
		if one.median[p] != r.median[p] || one.low[p] != r.low[p] || one.high[p] != r.high[p] || one.stay[p] != r.stay[p] {
			t.Fatalf("partner %d differs on one core: %v vs %v", p, []float64{one.median[p], float64(one.low[p]), float64(one.high[p]), one.stay[p]},
				[]float64{r.median[p], float64(r.low[p]), float64(r.high[p]), r.stay[p]})
		}
	}
}

// The weight draws centre on the weights in force and every draw holds the
// guardrails (activity at most its cap, lagging outcomes at least their
// minimum).
func TestWeightDrawsHoldTheGuardrails(t *testing.T) {
	s, _ := robustCase(t, make([][schema.NumComponents]float64, 3), nil)
	cfg, _ := DefaultConfig()
	var comps []schema.Component
	for c := range schema.Component(schema.NumComponents) {
		comps = append(comps, c)
	}
	mean := make([]float64, len(comps))
	const draws = 4000
	rng := rand.New(rand.NewPCG(7, 7))
	for range draws {
		w := s.drawWeights(rng, comps, cfg)
		var kind [3]float64
		var sum float64
		for k, c := range comps {
			kind[componentKinds[c]] += w[k]
			sum += w[k]
			mean[k] += w[k] / draws
		}
		if math.Abs(sum-1) > 1e-9 || kind[kindActivity] > cfg.ActivityWeightCap+1e-9 || kind[kindLagging] < cfg.LaggingWeightMin-1e-9 {
			t.Fatalf("draw %v: sum %g, activity %g, lagging %g", w, sum, kind[kindActivity], kind[kindLagging])
		}
	}
	for k, c := range comps {
		if want := s.cur.weights[c]; math.Abs(mean[k]-want) > 0.01 {
			t.Errorf("%s: mean draw %.4f, weight in force %.4f", schema.Components[c], mean[k], want)
		}
	}
}
