package roi

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/partnerq/pqi/transforms/attribution"
	"github.com/partnerq/pqi/transforms/schema"
)

// estimates are per partner x window quarter (flat p*nw + t); NaN = null.
type estimates struct {
	baseline                 []float64 // per partner: own pre-period mean pipeline created (USD)
	expected, lift, incr     []float64 // USD
	roi, lo, hi              []float64
	state                    []schema.ROIStatus
	invSeg                   []schema.Tail // per partner: segment before the step-up, NullEnum = none
	deals                    []int32
	dealT                    []int8
	dealCents                []float64
	dealOff                  []int32         // CSR of each invested partner's sourced credits in the window
	ctrlP, ctrlS             [][]float64     // per stratum: point control totals by window quarter
	repP, repS               [][][]float64   // per stratum, replicate: control totals by window quarter
	repGP, repGS             [][][][]float64 // per stratum, start quarter, replicate: growthOr1 of repP, repS
	hasCounterfactual        []bool          // per stratum
	stratumOf                []int8          // per partner: the stratum its counterfactual uses
	alphaLo, alphaHi, maxBad float64
}

// pooledStratum holds every comparison partner; strata 0..4 are program
// tiers (0 = tier unknown).
const (
	numTierStrata = 5
	pooledStratum = numTierStrata
	numStrata     = numTierStrata + 1
	chunkPartners = 32
)

// poissonCuts are the Poisson(1) cdf at 0, 1, ... 10 in units of 2^-32: a
// uniform 32-bit u draws k = the number of cuts at or below u (P(k > 11)
// is under 1e-9), the Poisson bootstrap weight of one deal.
func poissonCuts() (cuts [11]uint32) {
	cdf := poisson1()
	for k := range cuts {
		cuts[k] = uint32(min(cdf[k]*(1<<32), math.MaxUint32))
	}
	return cuts
}

// poisson1 is the cumulative distribution of Poisson(1), for the Poisson
// bootstrap weights.
func poisson1() [12]float64 {
	var c [12]float64
	p, acc := math.Exp(-1), 0.0
	for k := range c {
		if k > 0 {
			p /= float64(k)
		}
		acc += p
		c[k] = acc
	}
	c[len(c)-1] = 1
	return c
}

// estimate computes every invested partner's difference-in-differences
// lift and return, with the seeded bootstrap, and the segment replicates.
func (e *estimator) estimate(ctx context.Context) error {
	e.initEstimates()
	members, use := e.comparisonGroups()
	e.counterfactuals(members, use)
	e.investedDeals()
	acc, err := e.estimatePartners(ctx)
	if err != nil {
		return err
	}
	e.sumSegments(acc)
	return nil
}

// pipe and spend are partner p's pipeline created and investment in
// window quarter t, in USD.
func (e *estimator) pipe(p int32, t int) float64 {
	return float64(e.pipeCreated[int(p)*e.nq+e.w0+t]) / 100
}

func (e *estimator) spend(p int32, t int) float64 { return float64(e.invest[int(p)*e.nq+e.w0+t]) / 100 }

// initEstimates sizes the estimates, every value null and every state
// not_invested until shown otherwise.
func (e *estimator) initEstimates() {
	es, n, P := &e.est, e.P*e.nw, e.P
	for _, a := range []*[]float64{&es.expected, &es.lift, &es.incr, &es.roi, &es.lo, &es.hi} {
		*a = make([]float64, n)
		for i := range *a {
			(*a)[i] = math.NaN()
		}
	}
	es.state = make([]schema.ROIStatus, n) // ROINotInvested is the zero value
	es.baseline = make([]float64, P)
	es.invSeg = make([]schema.Tail, P)
	es.stratumOf = make([]int8, P)
	e.comparisons = make([]int64, P)
	alpha := 1 - e.cfg.Level
	es.alphaLo, es.alphaHi, es.maxBad = alpha/2, 1-alpha/2, alpha/2
}

// comparisonGroups lists the comparison partners of each stratum (their
// program tier, and the pooled stratum of all of them) and gives every
// invested partner its stratum: its tier's, or the pooled one when the
// tier has fewer than MinComparison. use marks the strata some invested
// partner needs.
func (e *estimator) comparisonGroups() (members [][]int32, use []bool) {
	es := &e.est
	members = make([][]int32, numStrata)
	for p := range e.P {
		if e.group[p] == schema.GroupComparison {
			members[e.stratum[p]] = append(members[e.stratum[p]], int32(p))
			members[pooledStratum] = append(members[pooledStratum], int32(p))
		}
	}
	use = make([]bool, numStrata)
	for p := range e.P {
		es.baseline[p] = math.NaN()
		es.invSeg[p] = schema.NullEnum
		if e.group[p] != schema.GroupInvested {
			continue
		}
		s := e.stratum[p]
		if len(members[s]) < e.cfg.MinComparison {
			s = pooledStratum
		}
		es.stratumOf[p] = s
		use[s] = true
		e.comparisons[p] = int64(len(members[s]))
		es.invSeg[p] = e.seg[p*e.nq+e.w0+int(e.t0[p])-1]
	}
	return members, use
}

// counterfactuals sums each used stratum's comparison pipeline and spend
// per window quarter, draws its cluster bootstrap replicates (resampling
// its partners), and each replicate's growth from every start quarter.
func (e *estimator) counterfactuals(members [][]int32, use []bool) {
	es, nw, B := &e.est, e.nw, e.cfg.Replicates
	es.ctrlP, es.ctrlS = make([][]float64, numStrata), make([][]float64, numStrata)
	es.repP, es.repS = make([][][]float64, numStrata), make([][][]float64, numStrata)
	es.repGP, es.repGS = make([][][][]float64, numStrata), make([][][][]float64, numStrata)
	es.hasCounterfactual = make([]bool, numStrata)
	for s := range numStrata {
		m := members[s]
		if !use[s] || len(m) == 0 {
			continue
		}
		es.hasCounterfactual[s] = true
		es.ctrlP[s], es.ctrlS[s] = make([]float64, nw), make([]float64, nw)
		for _, p := range m {
			for t := range nw {
				es.ctrlP[s][t] += e.pipe(p, t)
				es.ctrlS[s][t] += e.spend(p, t)
			}
		}
		r := rand.New(rand.NewPCG(e.cfg.Seed, 1<<40|uint64(s)))
		es.repP[s], es.repS[s] = make([][]float64, B), make([][]float64, B)
		for b := range B {
			cp, cs := make([]float64, nw), make([]float64, nw)
			for range m {
				p := m[r.IntN(len(m))]
				for t := range nw {
					cp[t] += e.pipe(p, t)
					cs[t] += e.spend(p, t)
				}
			}
			es.repP[s][b], es.repS[s][b] = cp, cs
		}
		// shared by the stratum's invested partners
		es.repGP[s], es.repGS[s] = make([][][]float64, nw+1), make([][][]float64, nw+1)
		for t0 := range nw + 1 {
			es.repGP[s][t0], es.repGS[s][t0] = make([][]float64, B), make([][]float64, B)
			for b := range B {
				es.repGP[s][t0][b], _ = growthOr1(es.repP[s][b], t0)
				es.repGS[s][t0][b], _ = growthOr1(es.repS[s][b], t0)
			}
		}
	}
}

// investedDeals lists each invested partner's sourced credits in the
// window, by quarter (CSR: partner p's are dealOff[p]:dealOff[p+1]).
func (e *estimator) investedDeals() {
	es, nw, P := &e.est, e.nw, e.P
	es.dealOff = make([]int32, P+1)
	d := &e.led.Deals
	winQ := func(c attribution.Credit) int {
		t := int(schema.Day(d.Created[c.Deal]).Quarter()-e.q0) - e.w0
		if t < 0 || t >= nw || c.Sourced <= 0 || e.group[c.Partner] != schema.GroupInvested {
			return -1
		}
		return t
	}
	for _, c := range e.led.EachCredit() {
		if winQ(c) >= 0 {
			es.dealOff[c.Partner+1]++
		}
	}
	for p := range P {
		es.dealOff[p+1] += es.dealOff[p]
	}
	es.dealT = make([]int8, es.dealOff[P])
	es.dealCents = make([]float64, es.dealOff[P])
	next := slices.Clone(es.dealOff[:P])
	for _, c := range e.led.EachCredit() {
		if t := winQ(c); t >= 0 {
			p := c.Partner
			es.dealT[next[p]] = int8(t)
			es.dealCents[next[p]] = float64(c.Sourced) / 100
			next[p]++
		}
	}
}

// estimatePartners estimates the invested partners in fixed chunks; each
// chunk accumulates its own segment replicates, summed in chunk order by
// sumSegments: the same bytes whatever the number of workers.
func (e *estimator) estimatePartners(ctx context.Context) ([]*segAcc, error) {
	nw, B := e.nw, e.cfg.Replicates
	var invested []int32
	for p := range e.P {
		if e.group[p] == schema.GroupInvested {
			invested = append(invested, int32(p))
		}
	}
	nChunks := (len(invested) + chunkPartners - 1) / chunkPartners
	acc := make([]*segAcc, nChunks)
	jobs := make(chan int)
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), max(1, nChunks))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWork(nw, B)
			for ch := range jobs {
				a := newSegAcc(nw, B)
				for _, p := range invested[ch*chunkPartners : min(len(invested), (ch+1)*chunkPartners)] {
					e.partnerEstimate(p, w, a)
				}
				acc[ch] = a
			}
		}()
	}
	var err error
	for ch := range nChunks {
		if err = ctx.Err(); err != nil {
			break
		}
		jobs <- ch
	}
	close(jobs)
	wg.Wait()
	return acc, err
}

// sumSegments adds the chunks' segment replicates, in chunk order.
func (e *estimator) sumSegments(acc []*segAcc) {
	nw, B := e.nw, e.cfg.Replicates
	total := newSegAcc(nw, B)
	for _, a := range acc {
		for t := range nw {
			for s := range schema.NumTails {
				for b := range B {
					total.lift[t][s][b] += a.lift[t][s][b]
					total.incr[t][s][b] += a.incr[t][s][b]
				}
			}
		}
	}
	e.segRepLift, e.segRepI = total.lift, total.incr
}

// work is a worker's scratch space.
type work struct {
	pipe       [][]float64 // replicate x window quarter
	cumL, cumI [][]float64 // window quarter x replicate
	ratios     []float64
}

func newWork(nw, B int) *work {
	w := &work{pipe: make([][]float64, B), cumL: make([][]float64, nw), cumI: make([][]float64, nw), ratios: make([]float64, B)}
	for b := range B {
		w.pipe[b] = make([]float64, nw)
	}
	for t := range nw {
		w.cumL[t], w.cumI[t] = make([]float64, B), make([]float64, B)
	}
	return w
}

// segAcc sums replicate lift and incremental spend per window quarter and
// investment segment.
type segAcc struct{ lift, incr [][schema.NumTails][]float64 }

func newSegAcc(nw, B int) *segAcc {
	a := &segAcc{lift: make([][schema.NumTails][]float64, nw), incr: make([][schema.NumTails][]float64, nw)}
	for t := range nw {
		for s := range schema.NumTails {
			a.lift[t][s], a.incr[t][s] = make([]float64, B), make([]float64, B)
		}
	}
	return a
}

// partnerEstimate computes the difference-in-differences lift, incremental
// spend and return of invested partner p, point and bootstrap.
func (e *estimator) partnerEstimate(p int32, w *work, a *segAcc) {
	es, nw := &e.est, e.nw
	t0 := int(e.t0[p])
	row := int(p) * nw
	for t := t0; t < nw; t++ {
		es.state[row+t] = schema.ROIInsufficient
	}
	for t := range t0 {
		es.state[row+t] = schema.ROIPrePeriod
	}
	s := es.stratumOf[p]
	if !es.hasCounterfactual[s] {
		return
	}
	own := make([]float64, nw)
	sp := make([]float64, nw)
	for t := range nw {
		own[t], sp[t] = e.pipe(p, t), e.spend(p, t)
	}
	base, sbase := mean(own[:t0]), mean(sp[:t0])
	es.baseline[p] = base
	gP, okP := growth(es.ctrlP[s], t0)
	gS, okS := growth(es.ctrlS[s], t0)
	if !okP || !okS {
		return
	}
	// deals through each quarter, for MinDeals
	dT := es.dealT[es.dealOff[p]:es.dealOff[p+1]]
	dC := es.dealCents[es.dealOff[p]:es.dealOff[p+1]]
	var perQ [128]int
	for _, t := range dT {
		perQ[t]++
	}
	var L, I float64
	cumDeals := 0
	for t := range t0 {
		cumDeals += perQ[t]
	}
	for t := t0; t < nw; t++ {
		k := row + t
		es.expected[k] = base * gP[t]
		es.lift[k] = own[t] - es.expected[k]
		es.incr[k] = sp[t] - sbase*gS[t]
		L += es.lift[k]
		I += es.incr[k]
		cumDeals += perQ[t]
		es.roi[k] = L / I // kept only when estimated
		if cumDeals < e.cfg.MinDeals || I <= 0 {
			es.roi[k] = math.NaN()
		}
	}

	e.bootstrap(p, dT, dC, sp, sbase, w, a)
	for t := t0; t < nw; t++ {
		k := row + t
		if math.IsNaN(es.roi[k]) {
			continue
		}
		lo, hi, ok := interval(w.cumL[t], w.cumI[t], w.ratios, es.alphaLo, es.alphaHi, es.maxBad)
		if !ok {
			es.roi[k] = math.NaN()
			continue
		}
		es.state[k], es.lo[k], es.hi[k] = schema.ROIEstimated, lo, hi
	}
}

// bootstrap draws invested partner p's replicates: a Poisson bootstrap of
// its sourced deals (window quarters dT, amounts dC), joined with the
// comparison group's cluster bootstrap replicate of the same index. It
// leaves each replicate's cumulative lift and incremental spend in w and
// adds both to the partner's investment segment in a. sp is the partner's
// spend by window quarter, sbase its pre-period mean.
func (e *estimator) bootstrap(p int32, dT []int8, dC, sp []float64, sbase float64, w *work, a *segAcc) {
	es, nw, B := &e.est, e.nw, e.cfg.Replicates
	t0, s, seg := int(e.t0[p]), es.stratumOf[p], es.invSeg[p]
	r := rand.New(rand.NewPCG(e.cfg.Seed, uint64(p)+1))
	cuts := poissonCuts()
	for b := range B {
		pb := w.pipe[b]
		clear(pb)
		var bits uint64
		for j, t := range dT {
			// two 32-bit uniforms per 64-bit draw
			if j&1 == 0 {
				bits = r.Uint64()
			} else {
				bits >>= 32
			}
			u := uint32(bits)
			k := 0
			for k < len(cuts) && u >= cuts[k] {
				k++
			}
			if k > 0 {
				pb[t] += float64(k) * dC[j]
			}
		}
		rb, rs := es.repGP[s][t0][b], es.repGS[s][t0][b]
		bb := mean(pb[:t0])
		var lb, ib float64
		for t := t0; t < nw; t++ {
			l := pb[t] - bb*rb[t]
			i := sp[t] - sbase*rs[t]
			lb += l
			ib += i
			w.cumL[t][b], w.cumI[t][b] = lb, ib
			if seg != schema.NullEnum {
				a.lift[t][seg][b] += l
				a.incr[t][seg][b] += i
			}
		}
	}
}

// growth is c[t] over the mean of c before t0.
func growth(c []float64, t0 int) ([]float64, bool) {
	m := mean(c[:t0])
	if m <= 0 {
		return nil, false
	}
	g := make([]float64, len(c))
	for t, v := range c {
		g[t] = v / m
	}
	return g, true
}

// growthOr1 is growth, or no growth (all 1) when the pre-period is empty.
func growthOr1(c []float64, t0 int) ([]float64, bool) {
	if g, ok := growth(c, t0); ok {
		return g, true
	}
	g := make([]float64, len(c))
	for t := range g {
		g[t] = 1
	}
	return g, false
}

// interval is the percentile interval of the replicate ratios num/den; not
// ok when more than maxBad of the denominators are not positive (the ratio
// is then meaningless). Percentiles are nearest-rank.
func interval(num, den, buf []float64, pLo, pHi, maxBad float64) (float64, float64, bool) {
	B := len(num)
	bad := 0
	for b := range B {
		if den[b] <= 0 {
			bad++
			buf[b] = math.Inf(1)
			if num[b] < 0 {
				buf[b] = math.Inf(-1)
			}
			continue
		}
		buf[b] = num[b] / den[b]
	}
	if float64(bad) > maxBad*float64(B) {
		return 0, 0, false
	}
	slices.Sort(buf[:B])
	lo, hi := buf[rank(pLo, B)], buf[rank(pHi, B)]
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return 0, 0, false
	}
	return lo, hi, true
}

// rank is the nearest-rank index of percentile p among n sorted values.
func rank(p float64, n int) int {
	return min(n-1, max(0, int(math.Ceil(p*float64(n)))-1))
}
