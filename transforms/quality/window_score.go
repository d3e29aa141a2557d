package quality

import (
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/partnerq/pqi/transforms/schema"
)

// windowResult is everything scored for one window.
type windowResult struct {
	w    schema.Window // the trailing window: counts, tier measures, the evidence columns
	dk   decay         // the history the components use, and each row's weight by age
	from int32         // where the evidence's history begins: its start, or the first deal created when the data begin later
	comp [schema.NumComponents]*est
	obs  [schema.NumComponents]*obs

	deals, closed, csatN, customers, contracts []int64
	csatSatisfied                              []int64   // responses in the window scoring 4 or 5
	closedW                                    []float64 // closed deals over the history, age-weighted: the evidence rule's count
	qualifiedDeals, wonDeals                   []int64
	wonRevenue                                 []float64 // won primary deals' amounts, in the window

	z, zVar [schema.NumComponents][]float64
	weights []float64 // effective: the configured weights re-weighted over the measured components
	wFrom   schema.Day

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

// decay weighs a row by the age of its date: 1 inside the trailing window,
// 2^(-days before the window / half-life) in the older history, 0 outside
// the history. Older evidence only ever adds to what the window holds.
type decay struct {
	hist   schema.Window
	recent int32   // first day of the trailing window: full weight from here
	rate   float64 // per day, ln 2 / half-life; 0 = every row in the history weighs 1
}

func newDecay(w schema.Window, h History) decay {
	d := decay{hist: schema.Day(w.End).Trailing(h.Quarters), recent: w.Start}
	if h.HalfLifeQuarters > 0 {
		d.rate = math.Ln2 / (h.HalfLifeQuarters * daysPerYear / 4)
	}
	return d
}

func (d decay) at(day int32) float64 {
	if !d.hist.Has(day) {
		return 0
	}
	if d.rate == 0 || day >= d.recent {
		return 1
	}
	return math.Exp(-d.rate * float64(d.recent-day))
}

// exposure is a contract's time at risk in the history, in years, whether
// it churned there, and its decay weight: the age-weighted exposure over the
// plain one (the integral of the weight over the days at risk).
func (d decay) exposure(start, churn int32) (years float64, event bool, weight float64) {
	years, event = exposure(start, churn, d.hist)
	if years == 0 || d.rate == 0 {
		return years, event, 1
	}
	to := float64(d.hist.End + 1)
	if churn != schema.NoDate && float64(churn) < to {
		to = float64(churn)
	}
	from := float64(max(start, d.hist.Start))
	if to-from <= 0.5 { // the half day of a first-day churn
		return years, event, d.at(int32(from))
	}
	recent := float64(d.recent)
	full := math.Max(0, to-math.Max(from, recent)) // days in the window, weight 1
	var old float64                                // the older days' weighted length
	if from < recent {
		end := math.Min(to, recent)
		old = (math.Exp(-d.rate*(recent-end)) - math.Exp(-d.rate*(recent-from))) / d.rate
	}
	return years, event, math.Min(1, (full+old)/(to-from))
}

// buildObs collects the rows behind every component: every row of the
// history weighted by its age, and the trailing window's counts.
func (in *inputs) buildObs(cfg Config, r *windowResult) {
	w := r.w
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
	r.deals, r.closed, r.csatN, r.csatSatisfied = make([]int64, nP), make([]int64, nP), make([]int64, nP), make([]int64, nP)
	r.customers, r.contracts, r.qualifiedDeals = make([]int64, nP), make([]int64, nP), make([]int64, nP)
	r.wonRevenue, r.closedW, r.wonDeals = make([]float64, nP), make([]float64, nP), make([]int64, nP)
	in.dealObs(cfg, r)
	for i, p := range in.sPartner {
		if w.Has(in.sResponded[i]) {
			r.csatN[p]++
			if in.sScore[i] >= satisfiedScore {
				r.csatSatisfied[p]++
			}
		}
		if wt := r.dk.at(in.sResponded[i]); wt > 0 {
			r.obs[schema.CompCSAT].addW(p, in.sDeal[i], in.sScore[i], 1, wt)
		}
	}
	dir := in.churnObs(r)
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

// dealObs adds every primary-partnered deal's rows from the history: the
// deal flags of the deals created there, the registration of those old
// enough to have been registered, the win or loss of the deals closed there,
// and the time to first value of won deals mature enough to have reached it;
// and it counts the trailing window's deals, closed deals, qualified deals
// and won revenue.
func (in *inputs) dealObs(cfg Config, r *windowResult) {
	w, dk := r.w, r.dk
	var nCreated, nClosed int
	for i, p := range in.dPrimary {
		if p >= 0 {
			if dk.hist.Has(in.dCreated[i]) {
				nCreated++
			}
			if dk.hist.Has(in.dClosed[i]) {
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
	mature := int32(cfg.TTVMaturityDays)
	flag := func(c schema.Component, p, d int32, v int8, wt float64) {
		if v != noInt {
			r.obs[c].addW(p, d, float64(v), 1, wt)
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
			if in.dQual[i] == 1 {
				r.qualifiedDeals[p]++
			}
		}
		if wt := dk.at(created); wt > 0 {
			flag(schema.CompLeadQuality, p, d, in.dQual[i], wt)
			flag(schema.CompAEPullThrough, p, d, in.dAE[i], wt)
			flag(schema.CompMarketplace, p, d, in.dMarket[i], wt)
			flag(schema.CompAttachRate, p, d, in.dAttach[i], wt)
			if created <= regEnd {
				reg := in.dRegistered[i]
				ok := reg != schema.NoDate && reg-created <= int32(cfg.RegistrationDeadlineDays)
				r.obs[schema.CompRegistration].addW(p, d, b2f(ok), 1, wt)
			}
		}
		st, cl := in.dStatus[i], in.dClosed[i]
		if !st.Closed() {
			continue
		}
		if w.Has(cl) {
			r.closed[p]++
			if st == schema.StatusWon && !math.IsNaN(in.dLogAmt[i]) {
				r.wonRevenue[p] += math.Expm1(in.dLogAmt[i])
				r.wonDeals[p]++
			}
		}
		if wt := dk.at(cl); wt > 0 {
			r.closedW[p] += wt
			r.obs[schema.CompWinRate].addW(p, d, b2f(st == schema.StatusWon), 1, wt)
		}
		// time to first value: the history shifted back by the maturity, so
		// slow deals have had time to reach value
		if fv := in.dFirstValue[i]; st == schema.StatusWon && cl != schema.NoDate && fv != schema.NoDate && fv <= w.End {
			if wt := dk.at(cl + mature); wt > 0 {
				r.obs[schema.CompTimeToValue].addW(p, d, math.Log(math.Max(1, float64(fv-cl))), 1, wt)
			}
		}
	}
}

// churnObs adds the partners' contracts' time at risk in the history and
// counts the contracts and customers exposed in the trailing window; it
// returns the direct customers' rows, the baseline of the exit warning.
func (in *inputs) churnObs(r *windowResult) *obs {
	seen := make([]int32, in.custIndex.Len()) // partner+1 that last counted the customer
	r.direct = model{}
	dir := &obs{fam: famPoisson}
	for i, p := range in.hPartner {
		yrs, ev, wt := r.dk.exposure(in.hStart[i], in.hChurn[i])
		if yrs == 0 {
			continue
		}
		if p < 0 {
			dir.addW(0, in.hDeal[i], b2f(ev), yrs, wt)
			continue
		}
		r.obs[schema.CompChurnRate].addW(p, in.hDeal[i], b2f(ev), yrs, wt)
		if y, _ := exposure(in.hStart[i], in.hChurn[i], r.w); y == 0 {
			continue
		}
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

// firstCreated is the earliest deal created: where the deals data begin.
func (in *inputs) firstCreated() (int32, bool) {
	if len(in.dCreated) == 0 {
		return 0, false
	}
	return slices.Min(in.dCreated), true
}

// scoreWindow computes every component, the composite and the evidence
// status for the window of cfg.WindowQuarters quarters ending on end.
func (in *inputs) scoreWindow(end int32, cfg Config) (*windowResult, error) {
	r := &windowResult{w: schema.Day(end).Trailing(cfg.WindowQuarters)}
	r.dk = newDecay(r.w, cfg.History)
	r.from = r.dk.hist.Start
	if first, ok := in.firstCreated(); ok && first > r.from && first <= end {
		r.from = first
	}
	var err error
	if r.configured, r.wFrom, err = cfg.weightsAt(schema.Day(end)); err != nil {
		return nil, err
	}
	in.buildObs(cfg, r)
	nP := len(in.pID)
	var measured [schema.NumComponents]bool
	for c := range schema.Component(schema.NumComponents) {
		r.compStatus[c], r.compWhy[c] = in.availability(c)
		if r.compStatus[c] == schema.Measured && len(r.obs[c].y) == 0 {
			r.compStatus[c], r.compWhy[c] = schema.NoRows, fmt.Sprintf("no rows in the history %s to %s", fmtDate(r.dk.hist.Start), fmtDate(r.dk.hist.End))
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
