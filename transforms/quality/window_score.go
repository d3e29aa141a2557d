package quality

import (
	"fmt"
	"math"
	"sync"
)

// windowResult is everything scored for one window.
type windowResult struct {
	w    window
	comp [nComp]*est
	obs  [nComp]*obs

	deals, closed, csatN, customers, contracts []int64
	qualifiedDeals                             []int64
	wonRevenue                                 []float64

	z, zVar [nComp][]float64
	weights []float64
	wFrom   int32

	pillarZ, pillarVar [nPillar][]float64
	compZ, sVar        []float64
	pqiRaw             []float64
	pqi, pqiLow        []float64
	pqiHigh            []float64
	guard              []bool
	guardReason        []string
	scored             []bool
	evReason           []string

	churnRR, churnRRLow, churnRRHigh []float64
	direct                           model // churn model of direct customers
	directObs, directExp             float64
}

// buildObs collects the rows behind every component for window w.
func (in *inputs) buildObs(w window, cfg Config, r *windowResult) {
	nP := len(in.pID)
	for c := range r.obs {
		r.obs[c] = &obs{}
	}
	r.obs[cCSAT].fam = famLinear
	r.obs[cTTV].fam = famLinear
	r.obs[cChurn].fam = famPoisson
	r.obs[cCase].fam = famPoisson
	r.obs[cCert].noMix = true
	r.obs[cCase].noMix = true
	r.deals, r.closed, r.csatN = make([]int64, nP), make([]int64, nP), make([]int64, nP)
	r.customers, r.contracts, r.qualifiedDeals = make([]int64, nP), make([]int64, nP), make([]int64, nP)
	r.wonRevenue = make([]float64, nP)

	var nCreated, nClosed int
	for i, p := range in.dPrimary {
		if p >= 0 {
			if w.has(in.dCreated[i]) {
				nCreated++
			}
			if w.has(in.dClosed[i]) {
				nClosed++
			}
		}
	}
	for _, c := range []int{cLead, cAE, cMarket, cAttach, cReg} {
		r.obs[c].reserve(nCreated)
	}
	r.obs[cWin].reserve(nClosed)
	r.obs[cTTV].reserve(nClosed)
	regEnd := w.end - int32(cfg.RegistrationDeadlineDays)
	ttv := window{w.start - int32(cfg.TTVMaturityDays), w.end - int32(cfg.TTVMaturityDays)}
	flag := func(c int, p, d int32, v int8) {
		if v != noInt {
			r.obs[c].add(p, d, float64(v), 1)
		}
	}
	for i := range in.dCreated {
		p := in.dPrimary[i]
		if p < 0 {
			continue
		}
		d := int32(i)
		created := in.dCreated[i]
		if w.has(created) {
			r.deals[p]++
			flag(cLead, p, d, in.dQual[i])
			flag(cAE, p, d, in.dAE[i])
			flag(cMarket, p, d, in.dMarket[i])
			flag(cAttach, p, d, in.dAttach[i])
			if in.dQual[i] == 1 {
				r.qualifiedDeals[p]++
			}
			if created <= regEnd {
				reg := in.dRegistered[i]
				ok := reg != noDate && reg-created <= int32(cfg.RegistrationDeadlineDays)
				r.obs[cReg].add(p, d, b2f(ok), 1)
			}
		}
		st, cl := in.dStatus[i], in.dClosed[i]
		if (st == statusWon || st == statusLost) && w.has(cl) {
			r.closed[p]++
			r.obs[cWin].add(p, d, b2f(st == statusWon), 1)
			if st == statusWon && !math.IsNaN(in.dLogAmt[i]) {
				r.wonRevenue[p] += math.Expm1(in.dLogAmt[i])
			}
		}
		if fv := in.dFirstValue[i]; st == statusWon && ttv.has(cl) && fv != noDate && fv <= w.end {
			r.obs[cTTV].add(p, d, math.Log(math.Max(1, float64(fv-cl))), 1)
		}
	}
	for i, p := range in.sPartner {
		if w.has(in.sResponded[i]) {
			r.csatN[p]++
			r.obs[cCSAT].add(p, in.sDeal[i], in.sScore[i], 1)
		}
	}
	seen := make([]int32, in.custIndex.Len()) // partner+1 that last counted the customer
	r.direct = model{}
	dir := &obs{fam: famPoisson}
	for i, p := range in.hPartner {
		yrs, ev := exposure(in.hStart[i], in.hChurn[i], w)
		if yrs == 0 {
			continue
		}
		if p < 0 {
			dir.add(0, in.hDeal[i], b2f(ev), yrs)
			continue
		}
		r.obs[cChurn].add(p, in.hDeal[i], b2f(ev), yrs)
		r.contracts[p]++
		if seen[in.hCustomer[i]] != p+1 {
			seen[in.hCustomer[i]] = p + 1
			r.customers[p]++
		}
	}
	r.obs[cChurn].m = ensureM(r.obs[cChurn])
	dir.m = ensureM(dir)
	r.directObs, r.directExp = 0, 0
	for p := 0; p < nP; p++ {
		if t, c := in.pTotal[p], in.pCert[p]; t > 0 && c != noInt {
			r.obs[cCert].add(int32(p), -1, float64(min(c, t)), float64(t))
		}
		if c := in.pCase[p]; c != noInt {
			r.obs[cCase].add(int32(p), -1, float64(c), 1)
		}
	}
	r.obs[cCert].m = ensureM(r.obs[cCert])
	r.obs[cCase].m = ensureM(r.obs[cCase])
	// the direct baseline for the exit warning
	r.directFit(in, dir, cfg)
}

func ensureM(o *obs) []float64 {
	if o.m != nil {
		return o.m
	}
	m := make([]float64, len(o.y))
	for i := range m {
		m[i] = 1
	}
	return m
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// directFit fits the churn model of direct customers, the baseline of the
// churn rate ratio.
func (r *windowResult) directFit(in *inputs, dir *obs, cfg Config) {
	if len(dir.y) == 0 {
		return
	}
	sample := sampleRows(len(dir.y), cfg.FitSampleMax)
	xs := make([]float64, len(sample)*nFeat)
	ys, ms, offs := make([]float64, len(sample)), make([]float64, len(sample)), make([]float64, len(sample))
	for j, i := range sample {
		in.features(dir.deal[i], xs[j*nFeat:(j+1)*nFeat])
		ys[j], ms[j] = dir.y[i], dir.m[i]
	}
	mod, err := fitPoisson(xs, nFeat, ys, ms, offs, nil)
	if err != nil {
		return
	}
	r.direct = mod
	x := make([]float64, nFeat)
	for i := range dir.y {
		in.features(dir.deal[i], x)
		r.directObs += dir.y[i]
		r.directExp += dir.m[i] * math.Exp(mod.eta(x))
	}
}

// scoreWindow computes every component, the composite and the evidence
// status for the window of cfg.WindowQuarters quarters ending on end.
func (in *inputs) scoreWindow(end int32, cfg Config) (*windowResult, error) {
	r := &windowResult{w: trailing(end, cfg.WindowQuarters)}
	var err error
	if r.weights, r.wFrom, err = cfg.weightsAt(end); err != nil {
		return nil, err
	}
	in.buildObs(r.w, cfg, r)
	nP := len(in.pID)
	var wg sync.WaitGroup
	errs := make([]error, nComp)
	for c := 0; c < nComp; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			e, err := in.estimate(r.obs[c], nP, cfg)
			if err != nil {
				errs[c] = fmt.Errorf("fitting %s: %w", componentName(c), err)
				return
			}
			r.comp[c] = e
			in.natural(c, r.obs[c], e, cfg)
		}(c)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	r.composite(in, cfg)
	r.churnVsDirect(in, cfg)
	return r, nil
}
