package quality

import (
	"fmt"
	"math"
	"sync"

	"github.com/partnerq/pqi/transforms/schema"
)

// windowResult is everything scored for one window.
type windowResult struct {
	w    schema.Window
	comp [schema.NumComponents]*est
	obs  [schema.NumComponents]*obs

	deals, closed, csatN, customers, contracts []int64
	qualifiedDeals                             []int64
	wonRevenue                                 []float64

	z, zVar [schema.NumComponents][]float64
	weights []float64 // effective: the configured weights re-weighted over the measured components
	wFrom   int32

	compStatus [schema.NumComponents]schema.ComponentStatus // over the ecosystem
	compWhy    [schema.NumComponents]string                 // why not measured, in words
	configured []float64                                    // the weight set in force, as configured
	partial    bool                                         // a weight guardrail cannot hold: the data lack what it needs
	partialWhy string

	pillarZ, pillarVar [schema.NumPillars][]float64
	pillarW            [schema.NumPillars]float64 // effective weight of each pillar
	compZ, sVar        []float64
	pqiRaw             []float64
	pqi, pqiLow        []float64
	pqiHigh            []float64
	guard              []bool
	guardReason        []string
	scored             []bool
	evidence           []schema.EvidenceState
	evReason           []string

	churnRR, churnRRLow, churnRRHigh []float64
	direct                           model // churn model of direct customers
	directObs, directExp             float64
}

// buildObs collects the rows behind every component for window w.
func (in *inputs) buildObs(w schema.Window, cfg Config, r *windowResult) {
	nP := len(in.pID)
	for c := range r.obs {
		r.obs[c] = &obs{}
	}
	r.obs[schema.CompCSAT].fam = famLinear
	r.obs[schema.CompTimeToValue].fam = famLinear
	r.obs[schema.CompChurnRate].fam = famPoisson
	r.obs[schema.CompCaseStudies].fam = famPoisson
	r.obs[schema.CompCertification].noMix = true
	r.obs[schema.CompCaseStudies].noMix = true
	r.deals, r.closed, r.csatN = make([]int64, nP), make([]int64, nP), make([]int64, nP)
	r.customers, r.contracts, r.qualifiedDeals = make([]int64, nP), make([]int64, nP), make([]int64, nP)
	r.wonRevenue = make([]float64, nP)
	in.dealObs(w, cfg, r)
	for i, p := range in.sPartner {
		if w.Has(in.sResponded[i]) {
			r.csatN[p]++
			r.obs[schema.CompCSAT].add(p, in.sDeal[i], in.sScore[i], 1)
		}
	}
	dir := in.churnObs(w, r)
	for p := 0; p < nP; p++ {
		if t, c := in.pTotal[p], in.pCert[p]; t > 0 && c != noInt {
			r.obs[schema.CompCertification].add(int32(p), -1, float64(min(c, t)), float64(t))
		}
		if c := in.pCase[p]; c != noInt {
			r.obs[schema.CompCaseStudies].add(int32(p), -1, float64(c), 1)
		}
	}
	r.obs[schema.CompCertification].m = ensureM(r.obs[schema.CompCertification])
	r.obs[schema.CompCaseStudies].m = ensureM(r.obs[schema.CompCaseStudies])
	// the direct baseline for the exit warning
	r.directFit(in, dir, cfg)
}

// dealObs adds every primary-partnered deal's rows: the deal flags of the
// deals created in w, the registration of those old enough to have been
// registered, the win or loss of the deals closed in w, and the time to
// first value of won deals mature enough to have reached it.
func (in *inputs) dealObs(w schema.Window, cfg Config, r *windowResult) {
	var nCreated, nClosed int
	for i, p := range in.dPrimary {
		if p >= 0 {
			if w.Has(in.dCreated[i]) {
				nCreated++
			}
			if w.Has(in.dClosed[i]) {
				nClosed++
			}
		}
	}
	for _, c := range []schema.Component{schema.CompLeadQuality, schema.CompAEPullThrough, schema.CompMarketplace, schema.CompAttachRate, schema.CompRegistration} {
		r.obs[c].reserve(nCreated)
	}
	r.obs[schema.CompWinRate].reserve(nClosed)
	r.obs[schema.CompTimeToValue].reserve(nClosed)
	regEnd := w.End - int32(cfg.RegistrationDeadlineDays)
	ttv := schema.Window{Start: w.Start - int32(cfg.TTVMaturityDays), End: w.End - int32(cfg.TTVMaturityDays)}
	flag := func(c schema.Component, p, d int32, v int8) {
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
		if w.Has(created) {
			r.deals[p]++
			flag(schema.CompLeadQuality, p, d, in.dQual[i])
			flag(schema.CompAEPullThrough, p, d, in.dAE[i])
			flag(schema.CompMarketplace, p, d, in.dMarket[i])
			flag(schema.CompAttachRate, p, d, in.dAttach[i])
			if in.dQual[i] == 1 {
				r.qualifiedDeals[p]++
			}
			if created <= regEnd {
				reg := in.dRegistered[i]
				ok := reg != schema.NoDate && reg-created <= int32(cfg.RegistrationDeadlineDays)
				r.obs[schema.CompRegistration].add(p, d, b2f(ok), 1)
			}
		}
		st, cl := in.dStatus[i], in.dClosed[i]
		if st.Closed() && w.Has(cl) {
			r.closed[p]++
			r.obs[schema.CompWinRate].add(p, d, b2f(st == schema.StatusWon), 1)
			if st == schema.StatusWon && !math.IsNaN(in.dLogAmt[i]) {
				r.wonRevenue[p] += math.Expm1(in.dLogAmt[i])
			}
		}
		if fv := in.dFirstValue[i]; st == schema.StatusWon && ttv.Has(cl) && fv != schema.NoDate && fv <= w.End {
			r.obs[schema.CompTimeToValue].add(p, d, math.Log(math.Max(1, float64(fv-cl))), 1)
		}
	}
}

// churnObs adds the partners' contracts' time at risk in w and counts their
// contracts and customers; it returns the direct customers' rows, the
// baseline of the exit warning.
func (in *inputs) churnObs(w schema.Window, r *windowResult) *obs {
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
		r.obs[schema.CompChurnRate].add(p, in.hDeal[i], b2f(ev), yrs)
		r.contracts[p]++
		if seen[in.hCustomer[i]] != p+1 {
			seen[in.hCustomer[i]] = p + 1
			r.customers[p]++
		}
	}
	r.obs[schema.CompChurnRate].m = ensureM(r.obs[schema.CompChurnRate])
	dir.m = ensureM(dir)
	r.directObs, r.directExp = 0, 0
	return dir
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
	r := &windowResult{w: schema.Trailing(end, cfg.WindowQuarters)}
	var err error
	if r.configured, r.wFrom, err = cfg.weightsAt(end); err != nil {
		return nil, err
	}
	in.buildObs(r.w, cfg, r)
	nP := len(in.pID)
	var measured [schema.NumComponents]bool
	for c := range schema.Component(schema.NumComponents) {
		r.compStatus[c], r.compWhy[c] = in.availability(c)
		if r.compStatus[c] == schema.Measured && len(r.obs[c].y) == 0 {
			r.compStatus[c], r.compWhy[c] = schema.NoRows, fmt.Sprintf("no rows in the window %s to %s", fmtDate(r.w.Start), fmtDate(r.w.End))
		}
		measured[c] = r.compStatus[c] == schema.Measured
	}
	r.weights, r.partial, r.partialWhy = effectiveWeights(r.configured, measured, cfg)
	var wg sync.WaitGroup
	errs := make([]error, schema.NumComponents)
	for c := range schema.Component(schema.NumComponents) {
		if !measured[c] {
			r.obs[c].group(nP) // no rows, but every reader of rows by partner works
			r.comp[c] = unmeasured(nP)
			continue
		}
		wg.Add(1)
		go func(c schema.Component) {
			defer wg.Done()
			e, err := in.estimate(r.obs[c], nP, cfg)
			if err != nil {
				errs[c] = fmt.Errorf("fitting %s: %w", c.String(), err)
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
