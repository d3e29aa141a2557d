package quality

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"

	"github.com/partnerq/pqi/transforms/schema"
)

// RobustnessConfig is the Monte Carlo over the weights and the
// normalisation (docs/methodology.md, "Rank robustness").
type RobustnessConfig struct {
	Draws         int     `yaml:"draws" json:"draws"`
	Concentration float64 `yaml:"concentration" json:"concentration"`
	Seed          uint64  `yaml:"seed" json:"seed"`
}

// robust is the outcome per partner: median rank, its 90% interval and the
// share of draws that keep the partner in its decile; NaN / 0 when not
// scored.
type robust struct {
	median          []float64
	low, high       []int64
	stay            []float64
	draws, accepted int
}

// rankRobustness re-ranks the scored partners under draws of the weights
// (Dirichlet around the weights in force, concentration cfg.Concentration,
// then held to the weight guardrails) and of the normalisation (the
// component scores as they are, or as normal scores of their ranks), each
// draw seeded by its number, so the result never depends on scheduling.
func (s *scored) rankRobustness(cfg Config) *robust {
	r, rc := s.cur, cfg.Robustness
	nP := len(s.in.pID)
	out := &robust{median: make([]float64, nP), low: make([]int64, nP), high: make([]int64, nP), stay: make([]float64, nP), draws: rc.Draws}
	for p := range out.median {
		out.median[p], out.stay[p] = math.NaN(), math.NaN()
	}
	var ranked []int32 // in base rank order
	for p := range s.rank {
		if s.rank[p] > 0 {
			ranked = append(ranked, int32(p))
		}
	}
	sort.Slice(ranked, func(a, b int) bool { return s.rank[ranked[a]] < s.rank[ranked[b]] })
	n := len(ranked)
	if n == 0 || rc.Draws <= 0 {
		return out
	}
	var comps []schema.Component
	for c := range schema.Component(schema.NumComponents) {
		if r.weights[c] > 0 {
			comps = append(comps, c)
		}
	}
	// z[k][i]: component comps[k] of ranked partner i, as scored and as the
	// normal score of its rank among the scored partners
	asIs, byRank := make([][]float64, len(comps)), make([][]float64, len(comps))
	for k, c := range comps {
		asIs[k] = make([]float64, n)
		for i, p := range ranked {
			asIs[k][i] = r.scoreOf(c)[p]
		}
		byRank[k] = normalScores(asIs[k])
	}
	ranks := s.drawRanks(cfg, ranked, comps, asIs, byRank)
	col := make([]int32, rc.Draws)
	decile := func(rank int32) int { return int((int64(rank)*10 - 1) / int64(n)) }
	for i, p := range ranked {
		stay := 0
		for d := range ranks {
			col[d] = ranks[d][i]
			if decile(col[d]) == decile(int32(i+1)) {
				stay++
			}
		}
		sort.Slice(col, func(a, b int) bool { return col[a] < col[b] })
		out.median[p] = quantileSorted(col, 0.5)
		out.low[p] = int64(math.Floor(quantileSorted(col, 0.05)))
		out.high[p] = int64(math.Ceil(quantileSorted(col, 0.95)))
		out.stay[p] = float64(stay) / float64(rc.Draws)
	}
	return out
}

// drawRanks ranks the partners of ranked under each of the
// configuration's draws of the weights of comps and of the normalisation
// (asIs or byRank), on every CPU; draw d is seeded by d alone.
func (s *scored) drawRanks(cfg Config, ranked []int32, comps []schema.Component, asIs, byRank [][]float64) [][]int32 {
	r, rc, n := s.cur, cfg.Robustness, len(ranked)
	capZ := normQuantile(cfg.Guardrail.PQICap / 100)
	ranks := make([][]int32, rc.Draws)
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			score, idx := make([]float64, n), make([]int32, n)
			for d := range next {
				rng := rand.New(rand.NewPCG(rc.Seed, uint64(d)))
				w := s.drawWeights(rng, comps, cfg)
				z := asIs
				if rng.IntN(2) == 1 {
					z = byRank
				}
				for i, p := range ranked {
					var v float64
					for k := range comps {
						v += w[k] * z[k][i]
					}
					if r.guard[p] {
						v = math.Min(v, capZ)
					}
					score[i], idx[i] = v, int32(i)
				}
				sort.SliceStable(idx, func(a, b int) bool { return score[idx[a]] > score[idx[b]] })
				rk := make([]int32, n)
				for pos, i := range idx {
					rk[i] = int32(pos + 1)
				}
				ranks[d] = rk
			}
		}()
	}
	for d := range rc.Draws {
		next <- d
	}
	close(next)
	wg.Wait()
	return ranks
}

// drawWeights draws the weights of comps: Dirichlet around the weights in
// force, then held to the weight guardrails as effectiveWeights holds the
// configured ones.
func (s *scored) drawWeights(rng *rand.Rand, comps []schema.Component, cfg Config) []float64 {
	full := make([]float64, schema.NumComponents)
	var total float64
	for _, c := range comps {
		g := gammaDraw(rng, cfg.Robustness.Concentration*s.cur.weights[c])
		full[c] = g
		total += g
	}
	var kind [3]float64
	for _, c := range comps {
		full[c] /= total
		kind[componentKinds[c]] += full[c]
	}
	holdGuardrails(full, kind, cfg) // a guardrail the data cannot hold is already said by the PQI
	w := make([]float64, len(comps))
	for k, c := range comps {
		w[k] = full[c]
	}
	return w
}

// normalScores are the normal quantiles of the ranks of v (ties share
// their average rank): a normalisation that ignores how far apart the
// scores are.
func normalScores(v []float64) []float64 {
	n := len(v)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
	out := make([]float64, n)
	for lo := 0; lo < n; {
		hi := lo
		for hi+1 < n && v[idx[hi+1]] == v[idx[lo]] {
			hi++
		}
		q := normQuantile((float64(lo+hi)/2 + 0.5) / float64(n))
		for k := lo; k <= hi; k++ {
			out[idx[k]] = q
		}
		lo = hi + 1
	}
	return out
}

// quantileSorted is the q quantile of sorted values, linear between the
// two nearest ranks.
func quantileSorted(v []int32, q float64) float64 {
	h := q * float64(len(v)-1)
	lo := int(math.Floor(h))
	hi := min(lo+1, len(v)-1)
	return float64(v[lo]) + (h-float64(lo))*float64(v[hi]-v[lo])
}

// gammaDraw draws Gamma(shape, 1) (Marsaglia and Tsang 2000; shape < 1 by
// the boost Gamma(shape+1) U^(1/shape)).
func gammaDraw(rng *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gammaDraw(rng, shape+1) * math.Pow(rng.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}
